import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SystemInformationSampler } from '../../electron/domains/monitor';
import { parseHardwareMonitorJson, parseHwmValue, type HwmNode } from '../../electron/domains/monitor/windows/hardwareMonitorJson';

// data.json trees in the shape LibreHardwareMonitor 0.9 (German locale: decimal comma, SensorId/Type) and
// OpenHardwareMonitor 0.9.6 (English locale, no SensorId) serve from Options → Remote Web Server.
const recorded = (f: string) => JSON.parse(readFileSync(join(__dirname, '..', 'helpers', 'recorded', f), 'utf8')) as HwmNode;
const LHM = recorded('librehardwaremonitor-0.9-de.json');
const OHM = recorded('openhardwaremonitor-0.9.6.json');

describe('Windows temperatures from LibreHardwareMonitor / OpenHardwareMonitor', () => {
  it('reads values in either locale', () => {
    expect(parseHwmValue('71,9 °C')).toBe(71.9);
    expect(parseHwmValue('71.9 °C')).toBe(71.9);
    // Fans are whole numbers (format F0: no group separator); loads and temperatures have one decimal.
    expect(parseHwmValue('1184 RPM')).toBe(1184);
    expect(parseHwmValue('38,4 %')).toBe(38.4);
    expect(parseHwmValue('1040 RPM')).toBe(1040);
    expect(parseHwmValue('-')).toBeNull();
    expect(parseHwmValue('')).toBeNull();
  });

  it('maps LibreHardwareMonitor sensors to CPU, GPU, drive and board temperatures and fans', () => {
    const { temps, fans } = parseHardwareMonitorJson(LHM);
    const t = Object.fromEntries(temps.map((x) => [x.label, [x.kind, x.celsius]]));
    expect(t).toEqual({
      'CPU (Nuvoton NCT6799D)': ['other', 61],
      'System (Nuvoton NCT6799D)': ['other', 36.5],
      'Temperature #6 (Nuvoton NCT6799D)': ['other', null],
      'Core (Tctl/Tdie)': ['cpu-package', 71.9],
      'CCD1 (Tdie)': ['cpu-package', 66.5],
      'CCD2 (Tdie)': ['cpu-package', 63],
      'GPU Core (NVIDIA GeForce RTX 4090)': ['gpu', 64],
      'GPU Hot Spot (NVIDIA GeForce RTX 4090)': ['gpu', 75.1],
      'GPU Memory Junction (NVIDIA GeForce RTX 4090)': ['gpu', 70],
      'Composite Temperature (Samsung SSD 990 PRO 2TB)': ['other', 48],
      'Temperature #2 (Samsung SSD 990 PRO 2TB)': ['other', 55],
    });
    // An unconnected board input (-62 °C) is unavailable with the reason, never shown as a value.
    expect(temps.find((x) => x.label.startsWith('Temperature #6'))!.reason).toBe('implausible reading -62 °C');
    expect(fans.map((f) => [f.label, f.rpm])).toEqual([
      ['CPU Fan (Nuvoton NCT6799D)', 1184],
      ['Chassis Fan #1 (Nuvoton NCT6799D)', 742],
      ['Pump Fan (Nuvoton NCT6799D)', 0],
      ['GPU Fan 1 (NVIDIA GeForce RTX 4090)', 1350],
      ['GPU Fan 2 (NVIDIA GeForce RTX 4090)', 1347],
    ]);
    expect(new Set(temps.map((x) => x.id)).size).toBe(temps.length);
  });

  it('maps OpenHardwareMonitor (no sensor ids: the hardware icon tells CPU, GPU and drive apart)', () => {
    const { temps, fans } = parseHardwareMonitorJson(OHM);
    expect(temps.map((x) => [x.label, x.kind, x.celsius])).toEqual([
      ['Temperature #1 (ITE IT8620E)', 'other', 38],
      ['Temperature #2 (ITE IT8620E)', 'other', 127],
      ['CPU Core #1', 'cpu-core', 67],
      ['CPU Core #2', 'cpu-core', 70],
      ['CPU Core #3', 'cpu-core', 66],
      ['CPU Core #4', 'cpu-core', 69],
      ['CPU Package', 'cpu-package', 71],
      ['GPU Core (AMD Radeon RX 580)', 'gpu', 59],
      ['Temperature (WDC WD40EFRX-68N32N0)', 'other', 41],
    ]);
    expect(fans.map((f) => [f.label, f.rpm, f.reason ?? null])).toEqual([
      ['Fan #1 (ITE IT8620E)', 1040, null],
      ['Fan #2 (ITE IT8620E)', null, 'no reading from the hardware monitor'],
      ['GPU Fan (AMD Radeon RX 580)', 1550, null],
    ]);
  });

  describe('the Windows sampler path, against the recorded answer served over real HTTP', () => {
    let server: Server;
    let url = '';
    let body = JSON.stringify(LHM);
    beforeAll(async () => {
      server = createServer((req, res) => {
        if (req.url !== '/data.json') return void res.writeHead(404).end();
        res.writeHead(200, { 'content-type': 'application/json' }).end(body);
      });
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
      url = `http://127.0.0.1:${(server.address() as { port: number }).port}/data.json`;
    });
    afterAll(() => new Promise<void>((r) => server.close(() => r())));

    // The other systeminformation calls are the library's real ones (this is Linux); only the temperature source is under test.
    const sampler = (u: string) => new SystemInformationSampler({ hardwareMonitorUrl: u, si: { cpuTemperature: async () => { throw new Error('WMI must not be asked on this path'); } } });

    it('uses the hardware monitor for temperatures and fans', async () => {
      body = JSON.stringify(LHM);
      const s = await sampler(url).sample();
      expect(s.temps.find((t) => t.kind === 'cpu-package')).toMatchObject({ label: 'Core (Tctl/Tdie)', celsius: 71.9 });
      expect(s.fans).toHaveLength(5);
      expect(s.unavailable.find((u) => u.sensor === 'CPU package')).toBeUndefined();
    }, 30_000);

    it('without it running, the CPU temperature is unavailable and says what to install, never a made-up value', async () => {
      const closed = url.replace(/:\d+\//, ':1/');
      const s = await sampler(closed).sample();
      expect(s.temps).toEqual([expect.objectContaining({ label: 'CPU package', celsius: null })]);
      expect(s.temps[0]!.reason).toMatch(/^no LibreHardwareMonitor\/OpenHardwareMonitor web server at http:\/\/127\.0\.0\.1:1\/data\.json\. Windows has no reliable temperature source of its own: install LibreHardwareMonitor/);
      body = '<html>not json</html>';
      const garbage = await sampler(url).sample();
      expect(garbage.temps[0]!.reason).toMatch(/sent something that is not its data\.json/);
    }, 30_000);
  });
});
