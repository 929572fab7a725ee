// The built files themselves: WeChat's own compilers accept every page (wcc for
// WXML, wcsc for WXSS), the mini program talks to no host but the configured API,
// and the H5 build has no inline script (the site's CSP forbids it).
const fs = require('fs')
const path = require('path')
const wcc = require('miniprogram-compiler/src/wcc')
const wcsc = require('miniprogram-compiler/src/wcsc')

const DIST = global.DIST
const H5 = path.resolve(DIST, '..', 'h5')
const app = JSON.parse(fs.readFileSync(path.join(DIST, 'app.json'), 'utf8'))

function files(dir, ext) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name)
    if (e.isDirectory()) return files(p, ext)
    return p.endsWith(ext) ? [p] : []
  })
}

describe('wcc compiles every page with its components', () => {
  test.each(app.pages)('%s', (page) => {
    const out = wcc(DIST, [page], [], { maxBuffer: 64 * 1024 * 1024 })
    expect(out).toContain('$gwx')
  })
})

test('wcc compiles every component on its own (the bureau\'s custom fields among them)', () => {
  const components = files(path.join(DIST, 'components'), '.wxml').map((f) => path.relative(DIST, f).replace(/\.wxml$/, ''))
  expect(components).toContain('components/custom-fields')
  expect(components).toContain('components/custom-values')
  const out = wcc(DIST, components, [], { maxBuffer: 64 * 1024 * 1024 })
  expect(out).toContain('$gwx')
})

test('wcc compiles the whole app at once', () => {
  const out = wcc(DIST, app.pages, [], { maxBuffer: 64 * 1024 * 1024 })
  expect(out.length).toBeGreaterThan(1000)
})

test('wcsc compiles every stylesheet', () => {
  const sheets = files(DIST, '.wxss').map((f) => path.relative(DIST, f).replace(/\.wxss$/, ''))
  expect(sheets).toContain('app')
  const out = wcsc(DIST, sheets, { maxBuffer: 64 * 1024 * 1024 })
  sheets.forEach((s) => expect(Object.keys(out)).toContain(s + '.wxss'))
})

// Addresses that are only text in the framework's messages, never requested:
// a console warning's help link (development builds) and Vue's error-reference link.
const MESSAGE_LINKS = ['https://uniapp.dcloud.net.cn/tutorial/run/mp-log.html', 'https://vuejs.org/error-reference/']

test('the mini program requests no host but the configured API', () => {
  const base = global.API_BASE
  const found = new Set()
  files(DIST, '').forEach((f) => {
    const body = fs.readFileSync(f, 'utf8')
    ;(body.match(/https?:\/\/[^\s"'`)<>\\]+/g) || []).forEach((u) => found.add(u))
  })
  const foreign = [...found].filter(
    (u) => !(u === base || u.startsWith(base + '/')) && !MESSAGE_LINKS.some((m) => u.startsWith(m)),
  )
  expect(foreign).toEqual([])
  expect([...found]).toContain(base) // the configured API is compiled in
})

test('no CDN asset in either build (the H5 runtime preloads navigation shadows from a CDN)', () => {
  for (const dir of [DIST, H5]) {
    files(dir, '').forEach((f) => expect(fs.readFileSync(f, 'utf8')).not.toMatch(/cdn\.dcloud\.net\.cn/))
  }
})

test('the H5 build only addresses its own origin', () => {
  const found = new Set()
  files(H5, '').forEach((f) => {
    ;(fs.readFileSync(f, 'utf8').match(/https?:\/\/[^\s"'`)<>\\]+/g) || []).forEach((u) => found.add(u))
  })
  const foreign = [...found].filter((u) => !u.startsWith('http://www.w3.org/') && !MESSAGE_LINKS.some((m) => u.startsWith(m)))
  expect(foreign).toEqual([])
})

test('the H5 page has no inline script and lives under /m/', () => {
  const html = fs.readFileSync(path.join(H5, 'index.html'), 'utf8')
  const scripts = html.match(/<script[^>]*>[\s\S]*?<\/script>/g) || []
  expect(scripts.length).toBeGreaterThan(0)
  scripts.forEach((s) => {
    expect(s).toMatch(/src="\/m\/assets\//)
    expect(s.replace(/<script[^>]*>/, '').replace('</script>', '').trim()).toBe('')
  })
})

test('project.config.json carries the appid setting and keeps the domain check on', () => {
  const config = JSON.parse(fs.readFileSync(path.join(DIST, 'project.config.json'), 'utf8'))
  expect(typeof config.appid).toBe('string')
  expect(config.appid.length).toBeGreaterThan(0)
  expect(config.setting.urlCheck).toBe(true)
})
