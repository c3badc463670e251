import { useEffect } from 'react';
import { frameTime } from '../../../../shared/avatar';
import { call, subscribe } from '../../lib/api';
import { isTypingTarget } from '../../lib/keys';
import type { VjsPlayer } from './Player';
import { frameStepTarget, playerKeyAction } from './playerKeys';
import { usePreview } from './store';

/** How often the open preview tells main where it is (so an agent's cue "now" can be saved at that moment). */
const PLAYHEAD_REPORT_MS = 2000;

/** The open video's frame rate (the overlay draws at frame times). */
function videoFps(): number | null {
  return usePreview.getState().video?.probe?.streams.find((s) => s.type === 'video' && !s.attachedPic)?.fps ?? null;
}

/** Live avatar cues (an agent through MCP, the CLI, another window), saved tracks and look changes. */
export function useLiveAvatarEvents(player: VjsPlayer | null, videoId: number) {
  useEffect(() => {
    // "now" is the frame on screen: the overlay draws frames, so a cue between two frames would wait for the next.
    const offCue = subscribe('avatar.cue', (ev) => usePreview.getState().applyLive(ev, frameTime(player?.currentTime() ?? usePreview.getState().time, videoFps())));
    const offTrack = subscribe('avatar.track', (t) => usePreview.getState().applyTrack(t));
    const offSettings = subscribe('avatar.settings', (s) => usePreview.getState().applySettings(s));
    const offLib = subscribe('library.changed', (c) => {
      if (c.ids === null || c.ids.includes(videoId)) void usePreview.getState().reloadVideo();
    });
    return () => {
      offCue();
      offTrack();
      offSettings();
      offLib();
    };
  }, [player, videoId]);
}

/** The playhead: into the store (editor), and to main every few seconds and at each pause or seek. */
export function usePlayheadReport(player: VjsPlayer | null, videoId: number) {
  useEffect(() => {
    if (!player) return;
    let last = 0;
    const report = (force: boolean) => {
      const t = player.paused() ? frameTime(player.currentTime() ?? 0, videoFps()) : (player.currentTime() ?? 0);
      usePreview.getState().setTime(t);
      const now = Date.now();
      if (!force && now - last < PLAYHEAD_REPORT_MS) return;
      last = now;
      call('avatar.playhead', { videoId, t, playing: !player.paused() }, { quiet: true }).catch(() => undefined);
    };
    const onTime = () => report(false);
    const onChange = () => report(true);
    player.on('timeupdate', onTime);
    player.on(['pause', 'play', 'seeked'], onChange);
    const timer = setInterval(() => report(true), PLAYHEAD_REPORT_MS);
    report(true);
    return () => {
      clearInterval(timer);
      if (!player.isDisposed()) {
        player.off('timeupdate', onTime);
        player.off(['pause', 'play', 'seeked'], onChange);
      }
    };
  }, [player, videoId]);
}

/**
 * Space plays/pauses (unless typing, or on a button, which Space presses; video.js handles its own focus).
 * On the video page the whole player keyset works: K, J/L, ←/→ frame step, F fullscreen.
 */
export function usePlayerKeys(player: VjsPlayer | null, layout: 'pane' | 'page') {
  useEffect(() => {
    if (!player) return;
    const onKey = (e: KeyboardEvent) => {
      if (isTypingTarget(e.target) || document.querySelector('.overlay')) return;
      const action = playerKeyAction(e);
      // In the quick pane only Space: J/K and the arrows move through the grid there.
      if (!action || (layout === 'pane' && e.key !== ' ')) return;
      // Space presses a focused button; video.js answers Space itself inside its element, and its sliders
      // (seek, volume) answer the arrows.
      if (e.key === ' ' && e.target instanceof HTMLButtonElement) return;
      if (e.key === ' ' && e.target instanceof Node && (player.el() as HTMLElement).contains(e.target)) return;
      if (e.target instanceof Element && e.target.closest('.vjs-slider')) return;
      e.preventDefault();
      const now = player.currentTime() ?? 0;
      const duration = player.duration() || null;
      if (action.kind === 'toggle') {
        if (player.paused()) void player.play()?.catch(() => undefined);
        else player.pause();
      } else if (action.kind === 'seekBy') {
        player.currentTime(Math.min(Math.max(0, now + action.seconds), duration ?? Infinity));
      } else if (action.kind === 'frame') {
        player.pause();
        const fps = usePreview.getState().video?.probe?.streams.find((x) => x.type === 'video' && !x.attachedPic)?.fps ?? null;
        player.currentTime(frameStepTarget(now, action.frames, fps, duration));
      } else if (action.kind === 'fullscreen') {
        if (player.isFullscreen()) void player.exitFullscreen();
        else void player.requestFullscreen();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [player, layout]);
}
