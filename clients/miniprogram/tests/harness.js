// Runs the built mini program's pages in miniprogram-simulate: the app first
// (app.js → App()), then a page (its js calls wx.createPage → Component()), whose
// onLoad/onShow the test calls as WeChat would.
const path = require('path')
const simulate = require('miniprogram-simulate')

let started = false
let pageStack = []

function startApp() {
  if (started) return
  started = true
  let app = null
  global.App = (options) => {
    app = options
    if (options.onLaunch) options.onLaunch.call(options, { path: 'pages/index/index', query: {}, scene: 1001 })
  }
  global.getApp = () => app
  global.getCurrentPages = () => pageStack
  global.Page = (options) => global.Component(options)
  require(path.join(global.DIST, 'app.js'))
}

function flush(ms = 20) {
  return simulate.sleep(ms)
}

// The client's module state (the signed-in token, the text size) is read from storage
// when first loaded; each test starts from its own storage.
function resetState() {
  const { session } = require(path.join(global.DIST, 'auth', 'session.js'))
  session.token = wx.getStorageSync('mp.token') || null
  session.account = null
  session.notice = ''
  const { settings } = require(path.join(global.DIST, 'utils', 'settings.js'))
  settings.largeText = wx.getStorageSync('mp.largeText') === '1'
}

async function openPage(route, query = {}) {
  // A fresh client for every page: jest keeps its own module registry (the simulator's
  // "run the page js again" does not reach it), so the app and its page run anew.
  jest.resetModules()
  started = false
  startApp()
  resetState()
  const id = simulate.load(path.join(global.DIST, route), { rootPath: global.DIST })
  const page = simulate.render(id)
  page.attach(document.createElement('parent-wrapper'))
  page.instance.route = route
  pageStack = [page.instance]
  if (page.instance.onLoad) page.instance.onLoad(query)
  if (page.instance.onShow) page.instance.onShow()
  await flush()
  return page
}

// exparser's ">>>" crosses into a component's shadow tree: the form banner (id
// "banner" on every page) and the components used with ref="…" (uni-app gives
// them the class "r").
function deepFind(comp, selector) {
  for (const sel of [selector, '.r >>> ' + selector, '#banner >>> ' + selector]) {
    const found = comp.querySelector(sel)
    if (found) return found
  }
  return null
}

function byId(page, id) {
  const node = deepFind(page, '#' + id)
  if (!node) throw new Error('没有找到 #' + id + '：\n' + page.dom.innerHTML.slice(0, 3000))
  return node
}

function text(page) {
  return page.dom.textContent
}

async function type(page, id, value) {
  byId(page, id).dispatchEvent('input', { detail: { value } })
  await flush()
}

async function tap(page, id) {
  byId(page, id).dispatchEvent('tap')
  await flush()
}

// wx.request answered by `handler(options) → {statusCode, data}`; the calls are recorded.
function mockRequest(handler) {
  const fn = jest.fn((options) => {
    const answer = handler(options) || { statusCode: 200, data: {} }
    setTimeout(() => {
      if (answer.fail) options.fail && options.fail({ errMsg: 'request:fail' })
      else options.success && options.success({ statusCode: answer.statusCode, data: answer.data, header: {} })
      options.complete && options.complete({})
    }, 0)
    return { abort() {}, onHeadersReceived() {}, offHeadersReceived() {} }
  })
  wx.request = fn
  return fn
}

module.exports = { openPage, byId, deepFind, text, type, tap, flush, mockRequest, simulate }
