// Tests of the built mini program (dist/build/mp-weixin): WeChat's compilers (wcc,
// wcsc) on every page, its pages rendered by miniprogram-simulate in jsdom, and the
// built code checked for any host but the configured API. Build first:
// `make miniprogram` (or VITE_API_BASE=… npx uni build -p mp-weixin).
module.exports = {
  testEnvironment: 'jsdom',
  testMatch: ['<rootDir>/tests/**/*.test.js'],
  setupFiles: ['<rootDir>/tests/setup.js'],
  testTimeout: 30000,
}
