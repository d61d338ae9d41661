// The aicredits dashboard: reads /api/balances and /api/history from the `aicredits serve` that
// served it. Every piece of provider text goes into the page through textContent or an attribute
// value, never as markup; the server's Content-Security-Policy allows no inline script or style.
'use strict';

(function () {
  const numberFormat = new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 });
  const dateFormat = new Intl.DateTimeFormat('en-US', { dateStyle: 'medium', timeStyle: 'short' });
  const defaultRefreshSeconds = 30;
  const alertLabels = {
    low: 'low',
    depleting: 'runs out soon',
    expiring: 'plan expiring',
    expired: 'plan expired',
    failing: 'check failing',
  };
  let selected;
  let chart;

  function element(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function amount(value, unit) {
    if (value === null || value === undefined) return 'unknown';
    return `${numberFormat.format(value)}${unit ? ` ${unit}` : ''}`;
  }

  function when(iso) {
    if (!iso) return undefined;
    const date = new Date(iso);
    return Number.isNaN(date.getTime()) ? undefined : dateFormat.format(date);
  }

  function keyOf(result) {
    return `${result.provider}/${result.account}`;
  }

  function bar(label, remaining, limit, unit, low) {
    const row = element('div', 'part');
    const labels = element('div', 'part-label');
    labels.append(element('span', 'part-name', label));
    labels.append(
      element(
        'span',
        'part-amount',
        limit == null ? amount(remaining, unit) : `${amount(remaining, unit)} of ${numberFormat.format(limit)}`,
      ),
    );
    row.append(labels);
    if (typeof remaining === 'number' && typeof limit === 'number' && limit > 0) {
      const track = element('div', 'bar');
      const fill = element('div', low ? 'fill low' : 'fill');
      // CSSOM, not a style attribute: allowed by the page's style-src 'self'.
      fill.style.width = `${Math.min(100, Math.max(0, (remaining / limit) * 100)).toFixed(1)}%`;
      track.setAttribute('role', 'meter');
      track.setAttribute('aria-valuemin', '0');
      track.setAttribute('aria-valuemax', String(limit));
      track.setAttribute('aria-valuenow', String(remaining));
      track.append(fill);
      row.append(track);
    }
    return row;
  }

  function card(result) {
    const balance = result.balance;
    const item = element('li', 'account');
    item.dataset.key = keyOf(result);
    item.setAttribute('aria-selected', String(keyOf(result) === selected));
    item.tabIndex = 0;

    const title = element('h3');
    title.append(element('span', 'provider', `${result.provider} `));
    title.append(element('span', 'label', result.account));
    item.append(title);

    const remaining = balance
      ? balance.unlimited
        ? 'unlimited'
        : amount(balance.remaining, balance.unit)
      : 'no reading yet';
    item.append(element('p', 'amount', remaining));

    const badges = element('div', 'badges');
    if (balance && balance.status)
      badges.append(element('span', `badge ${balance.status === 'expired' ? 'bad' : 'ok'}`, balance.status));
    const alerts = result.alerts || [];
    if (alerts.length === 0) badges.append(element('span', 'badge ok', 'no alert'));
    for (const alert of alerts) {
      badges.append(
        element(
          'span',
          `badge ${alert.kind === 'low' || alert.kind === 'depleting' || alert.kind === 'expiring' ? 'warn' : 'bad'}`,
          alertLabels[alert.kind] || alert.kind,
        ),
      );
    }
    item.append(badges);

    if (balance) {
      if (!balance.unlimited) item.append(bar('total', balance.remaining, balance.limit, balance.unit, result.low));
      for (const part of balance.parts || [])
        item.append(bar(part.name, part.remaining, part.limit, balance.unit, false));
      if (balance.plan) item.append(element('p', 'note', `plan ${balance.plan}`));
      const renews = when(balance.renewsAt);
      const expires = when(balance.expiresAt);
      if (renews) item.append(element('p', 'note', `renews ${renews}`));
      else if (expires) item.append(element('p', 'note', `ends ${expires}`));
    }
    if (result.forecast && result.forecast.text) item.append(element('p', 'note forecast', result.forecast.text));
    if (!result.ok && result.error)
      item.append(element('p', 'note error-text', `${result.error.kind || 'error'}: ${result.error.message}`));
    const checked = when(result.checkedAt);
    if (checked) item.append(element('p', 'note', `checked ${checked}`));

    item.addEventListener('click', () => select(result));
    item.addEventListener('keydown', (event) => {
      if (event.key === 'Enter' || event.key === ' ') select(result);
    });
    return item;
  }

  function render(document_) {
    const list = document.getElementById('accounts');
    list.replaceChildren(...document_.results.map(card));
    const attention = document_.results.filter((result) => (result.alerts || []).length > 0 || !result.ok).length;
    const summary = document.getElementById('summary');
    summary.className = '';
    summary.textContent =
      `${document_.results.length} account${document_.results.length === 1 ? '' : 's'}, ` +
      `${attention} need${attention === 1 ? 's' : ''} attention` +
      (document_.fetchedAt ? `, updated ${when(document_.fetchedAt)}` : '');
    if (selected === undefined && document_.results.length > 0) select(document_.results[0]);
    else if (selected !== undefined) {
      const current = document_.results.find((result) => keyOf(result) === selected);
      if (current) loadHistory(current);
    }
  }

  function select(result) {
    selected = keyOf(result);
    for (const item of document.querySelectorAll('.account')) {
      item.setAttribute('aria-selected', String(item.dataset.key === selected));
    }
    loadHistory(result);
  }

  function loadHistory(result) {
    fetchHistory(result).catch((error) => {
      document.getElementById('history-note').textContent = `Could not load the history (${error.message}).`;
    });
  }

  async function fetchHistory(result) {
    const query = new URLSearchParams({ provider: result.provider, account: result.account, since: '30d' });
    const response = await fetch(`api/history?${query}`, { headers: { accept: 'application/json' } });
    if (!response.ok) throw new Error(`history: HTTP ${response.status}`);
    const history = await response.json();
    if (keyOf(result) !== selected) return;
    drawChart(result, history);
  }

  function drawChart(result, history) {
    const section = document.getElementById('history');
    section.hidden = false;
    document.getElementById('history-title').textContent = `History of ${result.provider} ${result.account}`;
    const points = history.readings.filter((reading) => reading.ok && typeof reading.remaining === 'number');
    const times = points.map((reading) => Date.parse(reading.at) / 1000);
    const remaining = points.map((reading) => reading.remaining);
    const forecast = points.map(() => null);
    const depletesAt =
      result.forecast && result.forecast.depletesAt ? Date.parse(result.forecast.depletesAt) / 1000 : undefined;
    const note = document.getElementById('history-note');
    if (depletesAt !== undefined && points.length > 0 && depletesAt > times[times.length - 1]) {
      forecast[forecast.length - 1] = remaining[remaining.length - 1];
      times.push(depletesAt);
      remaining.push(null);
      forecast.push(0);
      note.textContent = result.forecast.text || '';
    } else {
      note.textContent = points.length < 2 ? 'Not enough readings for a forecast yet.' : 'No depletion forecast.';
    }
    const unit = result.balance ? result.balance.unit : '';
    const container = document.getElementById('chart');
    const width = Math.max(320, container.clientWidth || 800);
    const options = {
      width,
      height: 300,
      scales: { x: { time: true } },
      series: [
        {},
        { label: `remaining (${unit})`, stroke: '#1976d2', width: 2, spanGaps: false },
        { label: 'forecast', stroke: '#ef6c00', dash: [6, 6], width: 2, spanGaps: true },
      ],
      axes: [{}, { label: unit }],
    };
    if (chart) chart.destroy();
    chart = new uPlot(options, [times, remaining, forecast], container);
    container.dataset.points = String(points.length);
    container.dataset.forecast = String(depletesAt !== undefined);
  }

  async function refresh() {
    let delay = defaultRefreshSeconds;
    try {
      const response = await fetch('api/balances', { headers: { accept: 'application/json' } });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      const document_ = await response.json();
      if (typeof document_.refreshSeconds === 'number' && document_.refreshSeconds > 0)
        delay = document_.refreshSeconds;
      render(document_);
      document.body.dataset.loaded = String(Date.now());
    } catch (error) {
      const summary = document.getElementById('summary');
      summary.className = 'error';
      summary.textContent = `Could not load balances (${error.message}); retrying in ${delay} s.`;
    }
    setTimeout(refresh, delay * 1000);
  }

  refresh();
})();
