import { useEffect, useRef } from 'react';
import videojs from 'video.js';
import 'video.js/dist/video-js.css';

export type VjsPlayer = ReturnType<typeof videojs>;

export interface PlayerSource {
  src: string;
  /** 'application/x-mpegURL' plays through video.js's VHS engine; 'video/mp4' natively. */
  type: string;
}

/**
 * A video.js player owned imperatively (video.js manages its own DOM): created once, its source swapped when
 * `source` changes, disposed on unmount. `aspect` ("16:9") sizes it before metadata arrives.
 */
export function Player({ source, aspect, onPlayer }: { source: PlayerSource; aspect: string | null; onPlayer(p: VjsPlayer | null): void }) {
  const host = useRef<HTMLDivElement>(null);
  const player = useRef<VjsPlayer | null>(null);
  const onPlayerRef = useRef(onPlayer);
  onPlayerRef.current = onPlayer;

  useEffect(() => {
    const el = document.createElement('video-js');
    el.classList.add('vjs-big-play-centered', 'vjs-church');
    el.setAttribute('data-testid', 'player');
    host.current!.appendChild(el);
    const p = videojs(el, {
      controls: true,
      fluid: true,
      // Breakpoint classes drop the less needed buttons on a narrow (portrait) player; the seek bar stays (preview.css).
      responsive: true,
      preload: 'auto',
      playbackRates: [0.5, 1, 1.5, 2],
      aspectRatio: aspect ?? '16:9',
      html5: { vhs: { overrideNative: true }, nativeAudioTracks: false, nativeVideoTracks: false },
      sources: [source],
    });
    player.current = p;
    onPlayerRef.current(p);
    return () => {
      onPlayerRef.current(null);
      player.current = null;
      p.dispose();
    };
    // Created once; source and aspect changes are applied below without rebuilding the player.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  useEffect(() => {
    const p = player.current;
    if (!p) return;
    const current = p.currentSrc();
    if (current && current.endsWith(source.src)) return;
    p.src(source);
  }, [source]);

  useEffect(() => {
    if (aspect) player.current?.aspectRatio(aspect);
  }, [aspect]);

  return <div ref={host} className="pv-player" />;
}
