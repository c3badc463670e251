import type uPlot from 'uplot';
import type { MetricUnit } from '../../../../shared/dto/monitor';
import { formatClock, formatValue } from './format';

/**
 * A uPlot plugin: at the crosshair, a small box with the time and every series' value in its unit, each beside
 * its colour. It lives in the plot's overlay, follows the cursor, and flips to the left near the right edge.
 */
export function tooltipPlugin(unit: MetricUnit, testId: string): uPlot.Plugin {
  let tip: HTMLDivElement | null = null;
  return {
    hooks: {
      init: (u) => {
        tip = document.createElement('div');
        tip.className = 'chart-tip';
        tip.dataset.testid = `${testId}-tip`;
        tip.hidden = true;
        u.over.appendChild(tip);
        u.over.addEventListener('mouseleave', () => tip && (tip.hidden = true));
      },
      setCursor: (u) => {
        if (!tip) return;
        const idx = u.cursor.idx;
        const left = u.cursor.left ?? -1;
        if (idx === null || idx === undefined || left < 0) {
          tip.hidden = true;
          return;
        }
        const t = u.data[0][idx];
        if (t === undefined) return;
        tip.replaceChildren(line('chart-tip-time', formatClock(t * 1000, { seconds: true })));
        u.series.forEach((s, i) => {
          if (i === 0 || s.show === false) return;
          const v = u.data[i]?.[idx] ?? null;
          const row = line('chart-tip-row', '');
          const swatch = document.createElement('span');
          swatch.className = 'chart-tip-swatch';
          swatch.style.background = typeof s.stroke === 'function' ? String(s.stroke(u, i)) : String(s.stroke ?? '');
          row.append(swatch, `${s.label ?? ''}: `, bold(formatValue(v, unit)));
          tip!.appendChild(row);
        });
        tip.hidden = false;
        const top = u.cursor.top ?? 0;
        const flip = left > u.over.clientWidth * 0.6;
        tip.style.left = flip ? '' : `${left + 12}px`;
        tip.style.right = flip ? `${u.over.clientWidth - left + 12}px` : '';
        tip.style.top = `${Math.max(0, Math.min(top, u.over.clientHeight - tip.offsetHeight))}px`;
      },
    },
  };
}

function line(className: string, text: string): HTMLDivElement {
  const el = document.createElement('div');
  el.className = className;
  el.textContent = text;
  return el;
}

function bold(text: string): HTMLElement {
  const el = document.createElement('strong');
  el.textContent = text;
  return el;
}
