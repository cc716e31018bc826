// read_mwn.mjs: the benchmark's read-and-parse workload done with mwn.
//
//   node scripts/bench/read_mwn.mjs      (settings in the environment)
//
// MW_API_URL, MW_BOT_USER/MW_BOT_PASSWORD (optional BotPassword),
// BENCH_PREFIX, BENCH_NAMESPACE, BENCH_TEMPLATE, BENCH_BATCH, BENCH_DUMP
// (optional file for the digest lines). mwn is loaded from
// $BENCH_DIR/peers/node_modules (scripts/bench/peers.sh installs it there).
// Prints one JSON line; read_mwclient.py does the same work with mwclient.
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { writeFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

function fail(msg) {
	process.stderr.write(`read_mwn: error: ${msg}\n`);
	process.exit(1);
}

const here = path.dirname(fileURLToPath(import.meta.url));
const benchDir = process.env.BENCH_DIR || path.join(here, '..', '..', '.bench');
const require = createRequire(path.join(benchDir, 'peers', 'package.json'));
let Mwn, mwnVersion;
try {
	({ Mwn } = require('mwn'));
	mwnVersion = require('mwn/package.json').version;
} catch (e) {
	fail(`cannot load mwn from ${benchDir}/peers (run scripts/bench/peers.sh): ${e.message}`);
}

const env = (name, dflt) => {
	const v = process.env[name] ?? dflt;
	if (v === undefined || v === '') fail(`${name} is not set`);
	return v;
};
const apiUrl = env('MW_API_URL');
const prefix = env('BENCH_PREFIX');
const ns = String(parseInt(env('BENCH_NAMESPACE'), 10));
if (ns === 'NaN') fail('BENCH_NAMESPACE must be a namespace number');
const prefixLen = prefix.replace(/_/g, ' ').length;
const batch = parseInt(env('BENCH_BATCH', '50'), 10);
if (!(batch > 0)) fail('BENCH_BATCH must be a positive number');
const user = process.env.MW_BOT_USER || '';
const password = process.env.MW_BOT_PASSWORD || '';
const dumpPath = process.env.BENCH_DUMP || '';

// The normalised template name, as read_mwclient.py computes it:
// strip, drop a "Template:" prefix, underscores and runs of spaces to one
// space, first letter upper-cased.
function normName(s) {
	s = s.trim().replace(/^template\s*:/i, '');
	s = s.replace(/_/g, ' ').replace(/ {2,}/g, ' ').trim();
	return s ? s[0].toUpperCase() + s.slice(1) : s;
}
const wanted = normName(env('BENCH_TEMPLATE'));

// Library messages go to stderr: stdout carries the one JSON line only
// (mwn also console.logs a failed request's details).
Mwn.setLoggingConfig({ stream: process.stderr });
console.log = console.error;
const bot = new Mwn({
	apiUrl,
	username: user || undefined,
	password: password || undefined,
	userAgent: `letsconnect-bench/1.0 (peer benchmark) mwn/${mwnVersion}`,
	silent: true,
});
// One keep-alive connection, as the other peers use; requests are
// sequential anyway (every await below finishes before the next request).
bot.setRequestOptions({
	httpAgent: new http.Agent({ keepAlive: true, maxSockets: 1 }),
	httpsAgent: new https.Agent({ keepAlive: true, maxSockets: 1 }),
});
// Every HTTP request mwn sends (retries included) goes through its axios
// instance: count them there.
let requests = 0;
bot.axiosInstance.interceptors.request.use((config) => {
	requests++;
	return config;
});

// A parameter's name and value, trimmed as MediaWiki (PHP's trim) and the
// bot trim them. mwn's own name and value are cut with JavaScript's trim(),
// which also removes U+FEFF, no-break and other Unicode spaces: take its
// split (named or positional) but trim the raw text again. p.wikitext is
// "|" + the parameter's source; positional parameters have a number as name.
function phpTrim(s) {
	const blank = (c) => c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\0' || c === '\x0B';
	let i = 0;
	let j = s.length;
	while (i < j && blank(s[i])) i++;
	while (j > i && blank(s[j - 1])) j--;
	return s.slice(i, j);
}
function nameValue(p) {
	const src = p.wikitext.slice(1);
	if (typeof p.name === 'number') return [String(p.name), phpTrim(src)];
	const eq = src.indexOf('=');
	return [phpTrim(src.slice(0, eq)), phpTrim(src.slice(eq + 1))];
}

// mwn's recursive mode returns the top-level templates first and the nested
// ones after them; recurse ourselves with the same parser so templates come
// in source order (an outer template before the ones inside it), as
// mwparserfromhell's filter_templates(recursive=True) gives them.
function templatesInOrder(text, out) {
	for (const t of new bot.Wikitext(text).parseTemplates({ recursive: false })) {
		out.push(t);
		const inner = t.wikitext.slice(2, -2);
		if (inner.includes('{{')) templatesInOrder(inner, out);
	}
	return out;
}

// POST for content: 500 titles do not fit in a GET URL on real wikis. mwn
// switches to multipart/form-data when a field is over 8000 characters;
// an explicit Content-Type keeps it url-encoded like the other peers.
const postForm = { method: 'post', headers: { 'Content-Type': 'application/x-www-form-urlencoded' } };

async function work() {
	// 1. The titles, subpages left out.
	const titles = [];
	let cont = {};
	for (;;) {
		const res = await bot.query({
			list: 'allpages',
			apnamespace: ns,
			apprefix: prefix,
			aplimit: 'max',
			apfilterredir: 'nonredirects',
			...cont,
		});
		for (const p of res.query?.allpages ?? []) {
			// The API's title carries the namespace's local name before a colon.
			const local = ns === '0' ? p.title : p.title.slice(p.title.indexOf(':') + 1);
			const rest = local.slice(prefixLen);
			if (!rest.includes('/')) titles.push(p.title);
		}
		if (!res.continue) break;
		cont = res.continue;
	}

	// 2. Latest content, BENCH_BATCH titles a request; pages the API leaves
	// without revisions (result size limit) come with rvcontinue.
	const texts = new Map();
	for (let i = 0; i < titles.length; i += batch) {
		const chunk = titles.slice(i, i + batch);
		let cont = {};
		for (;;) {
			const res = await bot.request(
				{
					action: 'query',
					prop: 'revisions',
					rvprop: 'ids|timestamp|user|content',
					rvslots: 'main',
					titles: chunk,
					...cont,
				},
				postForm
			);
			for (const p of res.query?.pages ?? []) {
				const rev = p.revisions?.[0];
				if (rev) texts.set(p.title, rev.slots?.main?.content ?? '');
			}
			if (!res.continue) break;
			cont = res.continue;
		}
	}

	// 3 and 4. Parse, digest in byte-wise title order.
	const parseStart = performance.now();
	const order = [...texts.keys()].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
	const hash = createHash('sha256');
	const dump = [];
	let nTemplates = 0;
	let nParams = 0;
	for (const title of order) {
		for (const t of templatesInOrder(texts.get(title), [])) {
			if (normName(t.name) !== wanted) continue;
			nTemplates++;
			for (const p of t.parameters) {
				const [name, value] = nameValue(p);
				const line = `${title}\x1f${name}\x1f${value}\n`;
				hash.update(line);
				if (dumpPath) dump.push(line);
				nParams++;
			}
		}
	}
	if (dumpPath) writeFileSync(dumpPath, dump.join(''));
	const digest = hash.digest('hex');
	const parseSeconds = +((performance.now() - parseStart) / 1000).toFixed(4);
	return { pages: order.length, templates: nTemplates, params: nParams, digest, parse_seconds: parseSeconds };
}

try {
	let t0 = performance.now();
	if (user && password) await bot.login();
	const loginSeconds = (performance.now() - t0) / 1000;
	const loginRequests = requests;
	requests = 0;
	t0 = performance.now();
	const r = await work();
	const seconds = (performance.now() - t0) / 1000;
	process.stdout.write(
		JSON.stringify({
			peer: 'mwn',
			version: mwnVersion,
			...r,
			requests,
			seconds: +seconds.toFixed(4),
			login_seconds: +loginSeconds.toFixed(4),
			login_requests: loginRequests,
			node: process.versions.node,
		}) + '\n'
	);
} catch (e) {
	fail(e?.message || String(e));
}
