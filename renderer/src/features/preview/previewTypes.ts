import type { StateCreator } from 'zustand';
import type { AvatarCue, ExpressionDef, FaceBook, FaceImage, LoudnessTrack } from '../../../../shared/avatar';
import type { CueTrack, LiveCueEvent, OverlaySettings } from '../../../../shared/dto/avatar';
import type { PresetInfo } from '../../../../shared/dto/jobs';
import type { VideoDetail } from '../../../../shared/dto/library';

// The preview store's shape, one interface per slice; apart from the slices so that they and the store that joins
// them import these types without importing each other.

/** What the player plays: the original, or one of the video's derived outputs. */
export type PlaySource = { kind: 'original' } | { kind: 'output'; outputId: number };

/** The open video, what plays and where the player is. */
export interface VideoSlice {
  videoId: number | null;
  video: VideoDetail | null;
  error: string | null;
  presets: PresetInfo[];
  source: PlaySource;
  /** The player's position as last reported (the editor adds cues here). */
  time: number;
  load(videoId: number): Promise<void>;
  reloadVideo(): Promise<void>;
  setSource(source: PlaySource): void;
  setTime(t: number): void;
}

/** The avatar's cue track: as saved, as edited, and live cues arriving from agents. */
export interface CueSlice {
  /** The track as saved in main. */
  savedCues: AvatarCue[];
  /** The track the overlay follows: saved cues plus edits and live cues not saved yet. */
  cues: AvatarCue[];
  selectedId: string | null;
  addCue(cue: Omit<AvatarCue, 'id'>): void;
  updateCue(id: string, patch: Partial<Omit<AvatarCue, 'id'>>): void;
  deleteCue(id: string): void;
  select(id: string | null): void;
  save(): Promise<void>;
  revert(): void;
  applyLive(ev: LiveCueEvent, playhead: number): void;
  applyTrack(track: CueTrack): void;
}

/** How the avatar looks: the overlay settings, its face (expressions, picture) and the loudness its mouth follows. */
export interface LookSlice {
  settings: OverlaySettings | null;
  /** The video's loudness track while lip sync is on (the same numbers the bake uses). */
  loudness: LoudnessTrack | null;
  /** The expressions cues may name (built-ins and the user's files) and their faces, for drawing. */
  expressions: ExpressionDef[];
  faces: FaceBook;
  loadExpressions(): Promise<void>;
  /** The face picture of the overlay's source (null: the built-in face), the same pixels the bake uses. */
  faceImage: FaceImage | null;
  /** Why the picture could not be had (shown beside "Drawn from"). */
  faceImageError: string | null;
  loadFaceImage(): Promise<void>;
  applySettings(settings: OverlaySettings): void;
  setSettings(patch: Partial<Omit<OverlaySettings, 'source'>> & { source?: OverlaySettings['source'] }): Promise<void>;
}

export interface PreviewState extends VideoSlice, CueSlice, LookSlice {}

/** A slice of the preview store: it sees the whole state and adds its part. */
export type PreviewSlice<T> = StateCreator<PreviewState, [], [], T>;
