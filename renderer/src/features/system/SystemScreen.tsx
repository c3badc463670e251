import { useEffect } from 'react';
import type { BinaryInfo } from '../../../../shared/dto/system';
import { Button } from '../../ui/Button';
import { ActivityTable } from './ActivityTable';
import { useSystem } from './store';
import './system.css';

// A block per tool rather than a table row: the path gets the card's whole width instead of a narrow column
// that wrapped it four characters a line.
function BinaryRow({ name, info }: { name: string; info: BinaryInfo }) {
  return (
    <div className="sys-bin" data-testid={`bin-${name}`}>
      <div className="sys-bin-head">
        <strong>{name}</strong>
        {info.path ? <span className="badge badge-ok">{info.version ?? 'found'}</span> : <span className="badge badge-bad">missing</span>}
        <span className="muted small" title="How the studio found it">
          {info.source}
        </span>
      </div>
      <div className="muted mono sys-bin-path">{info.path ?? info.problem}</div>
    </div>
  );
}

export function SystemScreen() {
  const { doctor, audit, videoTitles, loading, refresh } = useSystem();
  useEffect(() => {
    void refresh();
  }, [refresh]);

  return (
    <section className="screen">
      <header className="screen-head">
        <h1>System</h1>
        <Button onClick={() => void refresh()} disabled={loading}>
          {loading ? 'Checking…' : 'Check again'}
        </Button>
      </header>
      {!doctor ? (
        <div className="empty">{loading ? 'Checking the studio…' : 'Could not reach the studio.'}</div>
      ) : (
        <div className="cards">
          <div className="card">
            <h2>Media tools</h2>
            <BinaryRow name="ffmpeg" info={doctor.ffmpeg} />
            <BinaryRow name="ffprobe" info={doctor.ffprobe} />
            <p>Usable encoders (passed a test encode here): {doctor.ffmpeg.usableEncoders.length ? doctor.ffmpeg.usableEncoders.join(', ') : 'none'}</p>
            <p className="muted">
              Hardware encoders built into ffmpeg: {doctor.ffmpeg.hardwareEncoders.length ? doctor.ffmpeg.hardwareEncoders.join(', ') : 'none'}
              {doctor.ffmpeg.hardwareEncoders.some((e) => !doctor.ffmpeg.usableEncoders.includes(e)) ? ' (the ones not listed as usable have no working device or driver on this machine)' : ''}
            </p>
          </div>
          <div className="card">
            <h2>This machine</h2>
            <dl className="facts">
              <dt>App</dt>
              <dd>
                {doctor.app.name} {doctor.app.version}
              </dd>
              <dt>Platform</dt>
              <dd>
                {doctor.platform}/{doctor.arch}, {doctor.cpus} cores, Node {doctor.node}
              </dd>
              <dt>Data folder</dt>
              <dd className="mono" data-testid="data-dir">
                {doctor.dataDir}
              </dd>
              <dt>Database</dt>
              <dd>
                SQLite {doctor.sqlite.version} ({doctor.sqlite.journalMode}) · schema{' '}
                {Object.entries(doctor.schema)
                  .map(([k, v]) => `${k} v${v}`)
                  .join(', ')}
              </dd>
            </dl>
          </div>
          <div className="card card-wide">
            <h2>Recent activity</h2>
            {audit.length === 0 ? (
              <p className="muted">Nothing has changed yet. Every change you make is recorded here.</p>
            ) : (
              <ActivityTable audit={audit} videoTitles={videoTitles} />
            )}
          </div>
        </div>
      )}
    </section>
  );
}
