// The toolchain is pinned: every @dcloudio package at one exact release (the
// registry's `latest` is an alpha), and the lock file names no registry URL
// (.npmrc: omit-lockfile-registry-resolved) so it installs from whatever registry
// the machine is configured with.
const fs = require('fs')
const path = require('path')

const root = path.resolve(__dirname, '..')
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'))
const lock = JSON.parse(fs.readFileSync(path.join(root, 'package-lock.json'), 'utf8'))
const all = Object.assign({}, pkg.dependencies, pkg.devDependencies)

test('every dependency is pinned exactly, the @dcloudio ones to one release', () => {
  Object.entries(all).forEach(([name, version]) => expect([name, version]).toEqual([name, expect.stringMatching(/^\d+\.\d+\.\d+(-[0-9A-Za-z.]+)?$/)]))
  const releases = new Set(Object.entries(all).filter(([n]) => n.startsWith('@dcloudio/') && n !== '@dcloudio/types').map(([, v]) => v))
  expect([...releases]).toEqual(['3.0.0-4080720251210001'])
  Object.keys(lock.packages).filter((p) => p.startsWith('node_modules/@dcloudio/uni-')).forEach((p) => {
    expect(lock.packages[p].version).not.toMatch(/alpha/)
  })
})

test('the lock file holds no registry URL', () => {
  const text = fs.readFileSync(path.join(root, 'package-lock.json'), 'utf8')
  expect(text).not.toMatch(/"resolved"/)
  expect(text).not.toMatch(/\.tgz"|registry\./) // (funding pages stay: they are not downloads)
})
