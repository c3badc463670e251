import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { GpuInfo } from '../../../../shared/dto/monitor';

function readNum(file: string): number | null {
  try {
    const t = readFileSync(file, 'utf8').trim();
    return /^-?\d+$/.test(t) ? Number(t) : null;
  } catch {
    return null;
  }
}

function readText(file: string): string | null {
  try {
    return readFileSync(file, 'utf8').trim() || null;
  } catch {
    return null;
  }
}

/**
 * AMD GPUs as the amdgpu driver exposes them, no tool needed: /sys/class/drm/cardN/device/{gpu_busy_percent,
 * mem_info_vram_used, mem_info_vram_total} and its hwmon (temp1_input m°C "edge", power1_average µW, pwm1 0–255).
 * A card is counted when it has gpu_busy_percent (amdgpu only); connectors (card0-DP-1) are skipped.
 */
export function readAmdGpus(root: string): GpuInfo[] {
  const drm = join(root, 'sys/class/drm');
  let cards: string[];
  try {
    cards = readdirSync(drm).filter((n) => /^card\d+$/.test(n));
  } catch {
    return [];
  }
  cards.sort((a, b) => Number(a.slice(4)) - Number(b.slice(4)));
  const gpus: GpuInfo[] = [];
  for (const card of cards) {
    const dev = join(drm, card, 'device');
    const busy = readNum(join(dev, 'gpu_busy_percent'));
    if (busy === null && readText(join(dev, 'gpu_busy_percent')) === null) continue;
    let hw: string | null = null;
    try {
      const h = readdirSync(join(dev, 'hwmon')).find((n) => /^hwmon\d+$/.test(n));
      hw = h ? join(dev, 'hwmon', h) : null;
    } catch {
      hw = null;
    }
    const temp = hw ? readNum(join(hw, 'temp1_input')) : null;
    const power = hw ? (readNum(join(hw, 'power1_average')) ?? readNum(join(hw, 'power1_input'))) : null;
    const pwm = hw ? readNum(join(hw, 'pwm1')) : null;
    const name = readText(join(dev, 'product_name')) ?? `AMD Radeon (${card})`;
    gpus.push({
      index: Number(card.slice(4)),
      name,
      uuid: readText(join(dev, 'unique_id')) ?? `amdgpu-${card}`,
      tempC: temp === null ? null : temp / 1000,
      utilPct: busy,
      memUsedBytes: readNum(join(dev, 'mem_info_vram_used')),
      memTotalBytes: readNum(join(dev, 'mem_info_vram_total')),
      powerW: power === null ? null : Math.round(power / 1000) / 1000,
      fanPct: pwm === null ? null : Math.round((pwm / 255) * 100),
    });
  }
  return gpus;
}
