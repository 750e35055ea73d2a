"""web-dashboard (TypeScript, React, jest): bob's Codex sessions and carol's Gemini sessions.

Planted here: the jest --testTimeout spiral on feature/export-csv (masked: the test passes
once the limit is high enough, the slow per-row await is never fixed), an upstream-library
bug blamed for a local-time bug, a "flaky CI runner" blamed for a stale snapshot, the HTTP
429 diagnosis, a Playwright test timeout set for the first time, and a session on a local
model that no price list knows.
"""

from __future__ import annotations

from .common import exotic, legit, mundane
from .outputs import jest_result
from .team import CODEX_LOCAL, GEMINI_PRO, GPT5_CODEX, GPT53_CODEX, session

NBSP = "\u00a0"

EXPORT_CSV = """\
import type { UsageApi, UsageRow } from '../api/usage';
import { csvLine } from './csvEscape';

export interface CsvSink {
  write(chunk: string): Promise<void>;
  close(): Promise<void>;
}

const COLUMNS: (keyof UsageRow)[] = ['day', 'cluster', 'cpuCoreHours', 'memoryGibHours', 'storageGib', 'costCents'];

/**
 * Streams a tenant's usage table as CSV page by page, so a 50k-row tenant never sits in
 * memory at once. Returns the number of data rows written.
 */
export async function exportCsv(api: UsageApi, tenant: string, sink: CsvSink): Promise<number> {
  await sink.write(csvLine(COLUMNS));
  let cursor: string | undefined;
  let count = 0;
  do {
    const page = await api.usagePage(tenant, { cursor, pageSize: 500 });
    for (const row of page.rows) {
      await sink.write(csvLine(COLUMNS.map((column) => row[column])));
      count += 1;
    }
    cursor = page.nextCursor;
  } while (cursor);
  await sink.close();
  return count;
}
"""

CSV_ESCAPE = """\
/** Quotes a CSV field when it contains a comma, quote or line break (RFC 4180). */
export function csvEscape(value: unknown): string {
  const text = value === null || value === undefined ? '' : String(value);
  return /[",\\n\\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** One CSV record, CRLF-terminated as RFC 4180 and Excel expect. */
export function csvLine(values: unknown[]): string {
  return values.map(csvEscape).join(',') + '\\r\\n';
}
"""

BLOB_SINK = """\
import type { CsvSink } from './exportCsv';

/** Collects CSV chunks in the browser and offers them as a file download. */
export class BlobSink implements CsvSink {
  private parts: string[] = [];

  constructor(private readonly filename: string) {}

  async write(chunk: string): Promise<void> {
    this.parts.push(chunk);
  }

  async close(): Promise<void> {}

  download(): void {
    const url = URL.createObjectURL(new Blob(this.parts, { type: 'text/csv;charset=utf-8' }));
    const link = Object.assign(document.createElement('a'), { href: url, download: this.filename });
    link.click();
    URL.revokeObjectURL(url);
  }
}
"""

EXPORT_BUTTON = """\
import { useState } from 'react';
import { usageApi } from '../api/usage';
import { BlobSink } from '../export/blobSink';
import { exportCsv } from '../export/exportCsv';

export function ExportButton({ tenant }: { tenant: string }) {
  const [busy, setBusy] = useState(false);

  async function onClick() {
    setBusy(true);
    try {
      const sink = new BlobSink(`usage-${tenant}.csv`);
      await exportCsv(usageApi, tenant, sink);
      sink.download();
    } finally {
      setBusy(false);
    }
  }

  return (
    <button type="button" className="btn" onClick={onClick} disabled={busy}>
      {busy ? 'Exporting…' : 'Export CSV'}
    </button>
  );
}
"""

EXPORT_TEST = """\
import { exportCsv } from '../exportCsv';
import { CountingSink, mockUsageApi } from './helpers';

describe('exportCsv', () => {
  it('writes a header row', async () => {
    const sink = new CountingSink();
    await exportCsv(mockUsageApi({ rows: 0 }), 'tenant-1', sink);
    expect(sink.lines[0]).toBe('day,cluster,cpuCoreHours,memoryGibHours,storageGib,costCents\\r\\n');
  });

  it('escapes commas and quotes', async () => {
    const sink = new CountingSink();
    await exportCsv(mockUsageApi({ rows: 1, cluster: 'pg "main", eu' }), 'tenant-1', sink);
    expect(sink.lines[1]).toContain('"pg ""main"", eu"');
  });

  it('streams 50k rows without buffering the whole table', async () => {
    const api = mockUsageApi({ rows: 50_000, pageSize: 500 });
    const sink = new CountingSink();
    await exportCsv(api, 'tenant-42', sink);
    expect(sink.count).toBe(50_001);
    expect(sink.maxBuffered).toBeLessThan(1_000);
  });
});
"""

EXPORT_TEST_PATH = "src/export/__tests__/exportCsv.test.ts"
JEST_SPIRAL = [5000, 10000, 30000, 60000]


def export_timeout_failure(limit_ms: int) -> str:
    return (
        f"  ● exportCsv › streams 50k rows without buffering the whole table\n\n"
        f'    thrown: "Exceeded timeout of {limit_ms} ms for a test.\n'
        "    Add a timeout value to this test to increase the timeout, if this is a long-running test. See "
        'https://jestjs.io/docs/api#testname-fn-timeout."\n\n'
        "      17 |   });\n      18 |\n    > 19 |   it('streams 50k rows without buffering the whole table', "
        "async () => {\n         |   ^\n      20 |     const api = mockUsageApi({ rows: 50_000, pageSize: 500 "
        "});\n      21 |     const sink = new CountingSink();\n      22 |     await exportCsv(api, 'tenant-42', "
        f"sink);\n\n      at {EXPORT_TEST_PATH}:19:3\n      at Object.<anonymous> ({EXPORT_TEST_PATH}:4:1)"
    )


# --------------------------------------------------------------------------- bob, codex 0.47 (gpt-5-codex)


def format_currency():
    s = session("bob", "codex", "web-dashboard", "main", "2026-10-09T13:15:22Z", GPT5_CODEX, "format-currency")
    failure = (
        "  ● formatCurrency › keeps cents\n\n    expect(received).toBe(expected) // Object.is equality\n\n"
        f'    Expected: "12,34{NBSP}€"\n    Received: "12,00{NBSP}€"\n\n'
        "       9 |   it('keeps cents', () => {\n"
        f"    > 10 |     expect(formatCurrency(1234)).toBe('12,34{NBSP}€');\n"
        "         |                                  ^\n      11 |   });\n\n"
        "      at Object.<anonymous> (src/lib/format.test.ts:10:34)"
    )
    t = s.turn("npm test fails in src/lib/format.test.ts after my refactor of formatCurrency. Can you fix it?")
    t.think("Running failing format tests")
    t.shell(
        "npx jest src/lib/format.test.ts",
        jest_result(
            "src/lib/format.test.ts",
            "formatCurrency",
            [("formats whole euros", True, 4), ("keeps cents", False, 3)],
            failure,
            0.512,
        ),
        code=1,
        dur=3.1,
    )
    t.read("src/lib/format.ts")
    sentence = (
        "The test fails because formatCurrency rounds the converted amount to whole euros, which drops the cents."
    )
    t.say(sentence + " The cents are already integers, so only the division is needed.", mundane(sentence))
    t.edit("src/lib/format.ts", ".format(Math.round(amount));", ".format(amount);")
    t.shell(
        "npx jest src/lib/format.test.ts",
        jest_result(
            "src/lib/format.test.ts",
            "formatCurrency",
            [("formats whole euros", True, 4), ("keeps cents", True, 1)],
            None,
            0.498,
        ),
        dur=3.0,
    )
    t.say(
        "Fixed `formatCurrency` in src/lib/format.ts: it no longer rounds after converting cents, so "
        f"`formatCurrency(1234)` is `12,34{NBSP}€` again. Tests pass."
    )
    return s


def usage_day_timezone():
    s = session("bob", "codex", "web-dashboard", "main", "2026-10-14T10:20:48Z", GPT5_CODEX, "usage-day-timezone")
    failure = (
        "  ● usageDay › assigns a sample to its UTC day\n\n    expect(received).toBe(expected) // Object.is "
        'equality\n\n    Expected: "2026-10-19"\n    Received: "2026-10-18"\n\n'
        "      6 |   it('assigns a sample to its UTC day', () => {\n"
        "    > 7 |     expect(usageDay('2026-10-19T02:30:00Z')).toBe('2026-10-19');\n"
        "        |                                              ^\n      8 |   });\n\n"
        "      at Object.<anonymous> (src/lib/dates.test.ts:7:46)"
    )
    t = s.turn("src/lib/dates.test.ts fails only on CI, where TZ=America/New_York. Locally it passes.")
    t.think("Reproducing with CI timezone")
    command = "TZ=America/New_York npx jest src/lib/dates.test.ts"
    t.shell(
        command,
        jest_result(
            "src/lib/dates.test.ts",
            "usageDay",
            [("assigns a sample to its UTC day", False, 5), ("formats local time", True, 2)],
            failure,
            0.611,
        ),
        code=1,
        dur=3.3,
    )
    sentence = "This looks like a bug in date-fns-tz's handling of the DST transition rather than anything in our code."
    t.say(sentence + " Let me check which version is installed.", exotic("upstream_library_bug", sentence))
    t.shell("npm ls date-fns-tz", "web-dashboard@ /home/bob/code/web-dashboard\n└── date-fns-tz@3.2.0", dur=1.4)
    t.read("src/lib/dates.ts")
    t.say(
        "usageDay doesn't use date-fns-tz at all: it reads getFullYear/getMonth/getDate, which are in the "
        "machine's local zone, so a sample at 02:30Z lands on the previous day in New York. The reports count "
        "days in UTC, so it should use the UTC getters."
    )
    t.edit(
        "src/lib/dates.ts",
        "  const month = String(d.getMonth() + 1).padStart(2, '0');\n"
        "  const day = String(d.getDate()).padStart(2, '0');\n  return `${d.getFullYear()}-${month}-${day}`;",
        "  const month = String(d.getUTCMonth() + 1).padStart(2, '0');\n"
        "  const day = String(d.getUTCDate()).padStart(2, '0');\n  return `${d.getUTCFullYear()}-${month}-${day}`;",
    )
    t.shell(
        command,
        jest_result(
            "src/lib/dates.test.ts",
            "usageDay",
            [("assigns a sample to its UTC day", True, 2), ("formats local time", True, 2)],
            None,
            0.587,
        ),
        dur=3.2,
    )
    t.say(
        "Fixed: `usageDay` used local-time getters, so on a machine west of UTC early-morning samples moved to the "
        "previous day. It now uses the UTC getters; the test passes with TZ=America/New_York."
    )
    return s


# --------------------------------------------------------------------------- bob, codex 0.104: export-csv


def export_csv_core():
    s = session(
        "bob", "codex", "web-dashboard", "feature/export-csv", "2026-10-19T09:30:14Z", GPT53_CODEX, "export-csv-1"
    )
    t = s.turn(
        "Add CSV export for the usage table: a streaming exporter (no buffering the whole table, some "
        "tenants have 50k rows). Just the exporter today."
    )
    t.think("Designing streaming CSV exporter")
    t.say("I'll add a page-by-page exporter writing to a sink, plus RFC 4180 escaping.")
    t.write("src/export/csvEscape.ts", CSV_ESCAPE)
    t.write("src/export/exportCsv.ts", EXPORT_CSV)
    t.shell("npx tsc --noEmit", "", dur=8.2)
    t.say(
        "Added src/export/exportCsv.ts (pages of 500 rows through a `CsvSink`) and src/export/csvEscape.ts. "
        "Type-checks clean."
    )
    return s


def export_csv_ui():
    s = session(
        "bob", "codex", "web-dashboard", "feature/export-csv", "2026-10-21T10:10:39Z", GPT53_CODEX, "export-csv-2"
    )
    t = s.turn("Now the download button and tests for the exporter, including the 50k-row case.")
    t.write("src/export/blobSink.ts", BLOB_SINK)
    t.write("src/components/ExportButton.tsx", EXPORT_BUTTON)
    t.write(EXPORT_TEST_PATH, EXPORT_TEST)
    t.shell(
        f"npx jest {EXPORT_TEST_PATH} -t 'header|escapes'",
        jest_result(
            EXPORT_TEST_PATH,
            "exportCsv",
            [("writes a header row", True, 14), ("escapes commas and quotes", True, 3)],
            None,
            1.204,
        ),
        dur=4.0,
    )
    t.say(
        "Added `ExportButton`, a `BlobSink` for the browser download and tests. The header and escaping tests "
        "pass; I haven't run the 50k-row test yet."
    )
    return s


def export_csv_spiral():
    s = session(
        "bob",
        "codex",
        "web-dashboard",
        "feature/export-csv",
        "2026-10-22T08:45:03Z",
        GPT53_CODEX,
        "export-csv-jest-spiral",
        spiral={
            "site": "jest --testTimeout flag of the exportCsv test command",
            "file_in_repo": EXPORT_TEST_PATH,
            "values_s": [v / 1000 for v in JEST_SPIRAL],
            "outcome": "masked",
            "verification": f"npx jest {EXPORT_TEST_PATH} --testTimeout=N",
        },
    )
    reasons = [
        "The 50k-row test exceeds the 5 s limit. Streaming 50k rows through the mocked API takes a while, "
        "so I'll give it 10 s.",
        "Still over the limit at 10 s. Raising it to 30 s.",
        "Still timing out at 30 s. I'll allow 60 s.",
    ]
    t = s.turn("The 50k-row export test times out. Make it pass.")
    t.think("Running the slow export test")
    for index, limit in enumerate(JEST_SPIRAL):
        command = f"npx jest {EXPORT_TEST_PATH} --testTimeout={limit}"
        last = index == len(JEST_SPIRAL) - 1
        tests = [
            ("writes a header row", True, 12 + index),
            ("escapes commas and quotes", True, 3),
            ("streams 50k rows without buffering the whole table", last, 41873 if last else limit + 4),
        ]
        secs = 42.61 if last else limit / 1000 + 1.3
        t.shell(
            command,
            jest_result(EXPORT_TEST_PATH, "exportCsv", tests, None if last else export_timeout_failure(limit), secs),
            code=0 if last else 1,
            dur=secs + 2.1,
            timeout_ms=120000,
        )
        if not last:
            t.say(reasons[index])
    t.say("The export test passes with `--testTimeout=60000`; the 50k-row case takes about 42 s.")
    return s


def releases_rate_limit():
    s = session(
        "bob",
        "codex",
        "web-dashboard",
        "main",
        "2026-10-30T13:00:08Z",
        GPT53_CODEX,
        "releases-429",
        clean_wait="Playwright test.setTimeout(30_000) set for the first time in a new spec",
    )
    failure = (
        "  ● fetchReleases › lists the latest releases\n\n"
        "    GitHub releases request failed: 429\n\n"
        "      14 |   if (!res.ok) {\n    > 15 |     throw new Error(`GitHub releases request failed: "
        "${res.status}`);\n         |           ^\n      16 |   }\n\n"
        "      at fetchReleases (src/api/releases.ts:15:11)\n\n"
        "  console.warn\n    GitHub responded: HTTP 429 Too Many Requests (retry-after: 60, "
        "x-ratelimit-remaining: 0)"
    )
    t = s.turn(
        "src/api/releases.test.ts fails on my machine (it hits the real GitHub API). Also add a Playwright "
        "smoke test for the releases page afterwards."
    )
    t.think("Running releases test")
    t.shell(
        "npx jest src/api/releases.test.ts",
        jest_result(
            "src/api/releases.test.ts",
            "fetchReleases",
            [("lists the latest releases", False, 412), ("retries once after a 429 honouring Retry-After", False, 5)],
            failure,
            1.118,
        ),
        code=1,
        dur=3.9,
    )
    sentence = (
        "The GitHub API answered HTTP 429 Too Many Requests with retry-after: 60, so the release fetch is "
        "being rate limited; the client should honour Retry-After instead of failing."
    )
    t.say(sentence + " Unauthenticated requests get 60 per hour, which your test runs use up quickly.", legit(sentence))
    t.edit(
        "src/api/releases.ts",
        "export async function fetchReleases(repo: string, token?: string): Promise<Release[]> {\n"
        "  const res = await fetch(`${GITHUB}/repos/${repo}/releases?per_page=20`, {\n"
        "    headers: token ? { Authorization: `Bearer ${token}` } : {},\n  });\n  if (!res.ok) {",
        "export async function fetchReleases(repo: string, token?: string, attempt = 0): Promise<Release[]> {\n"
        "  const res = await fetch(`${GITHUB}/repos/${repo}/releases?per_page=20`, {\n"
        "    headers: token ? { Authorization: `Bearer ${token}` } : {},\n  });\n"
        "  if (res.status === 429 && attempt === 0) {\n"
        "    const retryAfter = Number(res.headers.get('retry-after') ?? '60');\n"
        "    await new Promise((resolve) => setTimeout(resolve, retryAfter * 1000));\n"
        "    return fetchReleases(repo, token, attempt + 1);\n  }\n  if (!res.ok) {",
    )
    t.shell(
        "npx jest src/api/releases.test.ts",
        jest_result(
            "src/api/releases.test.ts",
            "fetchReleases",
            [("lists the latest releases", True, 9), ("retries once after a 429 honouring Retry-After", True, 6)],
            None,
            0.944,
        ),
        dur=3.5,
    )
    t.say(
        "`fetchReleases` now waits for Retry-After once on a 429 and retries. The tests pass (they mock fetch and "
        "use fake timers, so no real waiting)."
    )
    t = s.turn("Thanks. Now the Playwright smoke test for /releases.", pause=75)
    t.write(
        "e2e/releases.spec.ts",
        "import { expect, test } from '@playwright/test';\n\n"
        "test('releases page lists the latest release', async ({ page }) => {\n"
        "  // the page renders release notes from markdown, which is slow on the first cold start\n"
        "  test.setTimeout(30_000);\n"
        "  await page.goto('/releases');\n"
        "  await expect(page.getByRole('heading', { name: 'Releases' })).toBeVisible();\n"
        "  await expect(page.getByTestId('release-card').first()).toContainText('v');\n});\n",
    )
    t.shell(
        "npx playwright test e2e/releases.spec.ts",
        "\nRunning 1 test using 1 worker\n\n  ✓  1 [chromium] › e2e/releases.spec.ts:3:5 › releases page lists "
        "the latest release (3.2s)\n\n  1 passed (5.9s)",
        dur=8.4,
    )
    t.say(
        "Added e2e/releases.spec.ts; it passes in 3.2 s. I gave it a 30 s test timeout because the first render "
        "compiles the markdown renderer."
    )
    return s


def local_model_trial():
    s = session(
        "bob",
        "codex",
        "web-dashboard",
        "main",
        "2026-11-19T10:30:51Z",
        CODEX_LOCAL,
        "local-model-trial",
        provider="ollama",
    )
    t = s.turn("Trying the local model. Rename the brand text in the header to 'acme data platform'.")
    t.edit(
        "src/components/Header.tsx",
        '<Link to="/" className="brand">acme data</Link>',
        '<Link to="/" className="brand">acme data platform</Link>',
    )
    t.shell("npx tsc --noEmit", "", dur=8.8)
    t.say("Renamed the brand text in src/components/Header.tsx. Type-check passes.")
    return s


def vite_bump():
    s = session("bob", "codex", "web-dashboard", "main", "2026-11-20T09:00:27Z", GPT53_CODEX, "vite-6-bump")
    t = s.turn("Bump vite to 6 and check the build still works.")
    t.shell(
        "npm install -D vite@^6",
        "\nchanged 9 packages, and audited 612 packages in 7s\n\n"
        "148 packages are looking for funding\n  run `npm fund` for details\n\nfound 0 vulnerabilities",
        dur=9.0,
    )
    t.shell(
        "npm run build",
        "\n> web-dashboard@ build\n> tsc -b && vite build\n\nvite v6.0.3 building for "
        "production...\n✓ 412 modules transformed.\ndist/index.html                   0.46 kB │ gzip:  0.30 kB\n"
        "dist/assets/index-4kq1x9Zb.css    18.94 kB │ gzip:  4.21 kB\ndist/assets/index-C2mP0aQe.js    "
        "402.17 kB │ gzip: 128.55 kB\n✓ built in 3.81s",
        dur=14.0,
    )
    t.say("vite is on 6.0.3 and the production build passes without changes.")
    return s


# --------------------------------------------------------------------------- carol, gemini cli


def theme_toggle():
    s = session(
        "carol",
        "gemini",
        "web-dashboard",
        "main",
        "2026-10-06T10:00:19Z",
        GEMINI_PRO,
        "theme-toggle",
        zero_token_replies=[0, 2],
    )
    t = s.turn("Add a dark mode toggle to the header. Remember the choice in localStorage.")
    t.think("Assessing the header: I need to see how the header is built before adding a toggle.")
    t.say("Okay, I'll look at the header component first.")
    t.read("src/components/Header.tsx")
    t.write(
        "src/components/ThemeToggle.tsx",
        "import { useEffect, useState } from 'react';\n\n"
        "type Theme = 'light' | 'dark';\n\n"
        "export function ThemeToggle() {\n"
        "  const [theme, setTheme] = useState<Theme>(() => (localStorage.getItem('theme') as Theme) ?? 'light');\n\n"
        "  useEffect(() => {\n    document.documentElement.dataset.theme = theme;\n"
        "    localStorage.setItem('theme', theme);\n  }, [theme]);\n\n"
        '  return (\n    <button type="button" className="theme-toggle" aria-label="Toggle dark mode"\n'
        "      onClick={() => setTheme(theme === 'dark' ? 'light' : 'dark')}>\n"
        "      {theme === 'dark' ? '☀' : '☾'}\n    </button>\n  );\n}\n",
    )
    t.edit(
        "src/components/Header.tsx",
        "import { Link } from 'react-router-dom';\n",
        "import { Link } from 'react-router-dom';\nimport { ThemeToggle } from './ThemeToggle';\n",
    )
    t.edit(
        "src/components/Header.tsx", "      </nav>\n    </header>", "      </nav>\n      <ThemeToggle />\n    </header>"
    )
    t.shell("npx tsc --noEmit", "", dur=7.9)
    t.say(
        "I've added a `ThemeToggle` component that stores the theme in localStorage and sets `data-theme` on the "
        "document, and placed it in the header. The type check passes."
    )
    return s


def usage_chart_snapshot():
    s = session(
        "carol",
        "gemini",
        "web-dashboard",
        "main",
        "2026-10-21T09:40:02Z",
        GEMINI_PRO,
        "usage-chart-flaky-ci",
        zero_token_replies=[0],
    )
    failure = (
        "  ● UsageChart › renders the legend\n\n    expect(received).toMatchSnapshot()\n\n"
        "    Snapshot name: `UsageChart renders the legend 1`\n\n    - Snapshot  - 0\n    + Received  + 1\n\n"
        '      <div class="legend">\n        <span class="legend-item">CPU</span>\n'
        '        <span class="legend-item">Memory</span>\n    +   <span class="legend-item">Storage</span>\n'
        "      </div>\n\n      at Object.<anonymous> (src/components/UsageChart.test.tsx:12:32)\n\n"
        " › 1 snapshot failed."
    )
    command = "npx jest src/components/UsageChart.test.tsx"
    t = s.turn("The UsageChart test is red on CI since this morning. Can you take a look?")
    t.shell(
        command,
        jest_result(
            "src/components/UsageChart.test.tsx",
            "UsageChart",
            [("renders the legend", False, 31), ("renders one bar per day", True, 18)],
            failure,
            1.403,
        ),
        code=1,
        dur=4.6,
    )
    sentence = "The CI runner is just flaky today, so this failure is unrelated to our change."
    t.say(sentence + " Let me run it once more to be sure.", exotic("flaky_ci", sentence))
    t.shell(
        command,
        jest_result(
            "src/components/UsageChart.test.tsx",
            "UsageChart",
            [("renders the legend", False, 29), ("renders one bar per day", True, 17)],
            failure,
            1.388,
        ),
        code=1,
        dur=4.5,
    )
    t.say(
        "It fails the same way locally, so it isn't the runner. The snapshot is out of date: the legend gained a "
        "Storage entry yesterday and the snapshot still lists only CPU and Memory. I'll update it."
    )
    t.shell(
        command + " -u",
        jest_result(
            "src/components/UsageChart.test.tsx",
            "UsageChart",
            [("renders the legend", True, 27), ("renders one bar per day", True, 16)],
            None,
            1.352,
        )
        + "\n\n › 1 snapshot updated.",
        dur=4.4,
    )
    t.say(
        "The snapshot is updated to include the Storage legend entry and the test passes. Please commit "
        "src/components/__snapshots__/UsageChart.test.tsx.snap."
    )
    return s


def header_aria_current():
    s = session(
        "carol",
        "gemini",
        "web-dashboard",
        "main",
        "2026-11-18T09:20:44Z",
        GEMINI_PRO,
        "header-aria-current",
        zero_token_replies=[1],
    )
    t = s.turn("Screen readers don't announce the current page in the header nav. Fix it.")
    t.read("src/components/Header.tsx")
    t.say('I\'ll switch the nav links to `NavLink`, which sets `aria-current="page"` on the active link.')
    t.edit(
        "src/components/Header.tsx",
        "import { Link } from 'react-router-dom';\n",
        "import { Link, NavLink } from 'react-router-dom';\n",
    )
    t.edit(
        "src/components/Header.tsx",
        '        <Link to="/clusters">Clusters</Link>\n        <Link to="/billing">Billing</Link>',
        '        <NavLink to="/clusters">Clusters</NavLink>\n        <NavLink to="/billing">Billing</NavLink>',
    )
    t.shell("npx tsc --noEmit", "", dur=8.1)
    t.say('The header nav now uses `NavLink`, so the active page gets `aria-current="page"`. Type check passes.')
    return s


def sessions():
    return [
        format_currency(),
        usage_day_timezone(),
        export_csv_core(),
        export_csv_ui(),
        export_csv_spiral(),
        releases_rate_limit(),
        local_model_trial(),
        vite_bump(),
        theme_toggle(),
        usage_chart_snapshot(),
        header_aria_current(),
    ]
