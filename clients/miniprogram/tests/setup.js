// The environment WeChat gives a mini program, as far as the pages need it:
// miniprogram-simulate brings `wx` (storage, system info, …) and Component(); the
// app-level constructors are added here. Nothing here answers a request: each test
// mocks wx.request / wx.uploadFile itself.
const path = require('path')

global.DIST = path.resolve(__dirname, '..', 'dist', 'build', 'mp-weixin')
global.API_BASE = (process.env.MINIPROGRAM_API_BASE || 'http://127.0.0.1:8000').replace(/\/+$/, '')

// WeChat's local storage (miniprogram-simulate only stubs it): a Map per test file.
require('miniprogram-simulate')
const store = new Map()
Object.assign(global.wx, {
  setStorageSync: (key, value) => store.set(key, value),
  getStorageSync: (key) => (store.has(key) ? store.get(key) : ''),
  removeStorageSync: (key) => store.delete(key),
  clearStorageSync: () => store.clear(),
})
