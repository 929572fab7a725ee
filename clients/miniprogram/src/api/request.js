// One way to talk to the server: uni.request (wx.request in the mini program,
// XMLHttpRequest in H5) with the token header, and every failure turned into an
// ApiError carrying a Chinese sentence and, for a 400, the field errors.
import { API_BASE } from '../config'
import { getToken, signOut } from '../auth/session'

export const NETWORK_MESSAGE = '网络连接失败，请检查网络后点“重试”。已填写的内容已保存在本机，不会丢失。'
export const SERVER_MESSAGE = '服务器暂时无法处理，请稍后再试。已填写的内容已保存在本机。'
export const SIGN_IN_MESSAGE = '请先登录企业账号（登录已过期或尚未登录）。'
export const PENDING_MESSAGE = '您的企业账号正在审核中。审核通过后才能使用这项服务，请耐心等待工作人员审核。'
export const NOT_ENTERPRISE_MESSAGE = '此账号不是企业账号：码上办只供企业账号登录使用。'

export class ApiError extends Error {
  constructor({ status = 0, detail = '', errors = {}, network = false } = {}) {
    super(detail)
    this.status = status
    this.detail = detail
    this.errors = errors
    this.network = network
  }

  // The sentence to show at the top of a page.
  get message() {
    return this.detail
  }
}

// The server's 403 sentences for accounts that may not use a service yet (core.selectors).
function explain403(detail) {
  if (detail === '账号待审核') return PENDING_MESSAGE
  if (detail && detail.indexOf('账号未通过审核') === 0) {
    return detail + '。请到“我的账号”按原因修改企业资料，修改后将重新进入审核。'
  }
  if (detail === '仅企业账号可以使用') return NOT_ENTERPRISE_MESSAGE
  return detail || '您没有权限进行此操作。'
}

// A token the server no longer accepts: to the login page, which says why and
// comes back here afterwards.
function backToLogin() {
  const pages = typeof getCurrentPages === 'function' ? getCurrentPages() : []
  const page = pages.length ? pages[pages.length - 1] : null
  const here = page && page.route ? '/' + page.route : ''
  if (here === '/pages/account/login') return
  uni.redirectTo({ url: '/pages/account/login' + (here ? '?next=' + encodeURIComponent(here) : '') })
}

export function errorFrom(statusCode, body) {
  const data = body && typeof body === 'object' ? body : {}
  const detail = typeof data.detail === 'string' ? data.detail : ''
  if (statusCode === 400) {
    return new ApiError({ status: 400, detail: detail || '填写内容有误，请按提示修改', errors: data.errors || {} })
  }
  if (statusCode === 401) {
    if (getToken()) {
      signOut('登录已过期或已在别处退出，请重新登录。')
      backToLogin()
    }
    return new ApiError({ status: 401, detail: SIGN_IN_MESSAGE })
  }
  if (statusCode === 403) return new ApiError({ status: 403, detail: explain403(detail) })
  if (statusCode === 404) return new ApiError({ status: 404, detail: detail || '记录不存在或您无权查看' })
  if (statusCode === 409 || statusCode === 429) return new ApiError({ status: statusCode, detail })
  return new ApiError({ status: statusCode, detail: SERVER_MESSAGE })
}

function headers(extra) {
  const header = Object.assign({ Accept: 'application/json' }, extra || {})
  const token = getToken()
  if (token) header.Authorization = 'Token ' + token
  return header
}

function once(method, path, data) {
  return new Promise((resolve, reject) => {
    uni.request({
      url: API_BASE + path,
      method,
      data: data === undefined ? undefined : data,
      header: headers(method === 'GET' ? {} : { 'Content-Type': 'application/json' }),
      timeout: 20000,
      success(res) {
        if (res.statusCode >= 200 && res.statusCode < 300) resolve(res.data)
        else reject(errorFrom(res.statusCode, res.data))
      },
      fail() {
        reject(new ApiError({ network: true, detail: NETWORK_MESSAGE }))
      },
    })
  })
}

// Reads are retried twice on a network failure (safe to repeat); writes are not
// repeated behind the user's back — the page keeps the draft and offers "重试".
export function request(method, path, data) {
  const tries = method === 'GET' ? 3 : 1
  let attempt = 0
  const go = () =>
    once(method, path, data).catch((error) => {
      attempt += 1
      if (error.network && attempt < tries) {
        return new Promise((r) => setTimeout(r, 600 * attempt)).then(go)
      }
      throw error
    })
  return go()
}

export const get = (path, query) => request('GET', path, clean(query))
export const post = (path, body) => request('POST', path, body || {})
export const put = (path, body) => request('PUT', path, body || {})
export const patch = (path, body) => request('PATCH', path, body || {})
export const del = (path) => request('DELETE', path)

function clean(query) {
  if (!query) return undefined
  const out = {}
  Object.keys(query).forEach((k) => {
    if (query[k] !== undefined && query[k] !== null && query[k] !== '') out[k] = query[k]
  })
  return out
}

// A file to the server with progress (uni.uploadFile: wx.uploadFile in the mini program).
export function upload(path, filePath, onProgress) {
  return new Promise((resolve, reject) => {
    const task = uni.uploadFile({
      url: API_BASE + path,
      filePath,
      name: 'file',
      header: headers(),
      success(res) {
        let body = res.data
        try {
          body = typeof body === 'string' ? JSON.parse(body) : body
        } catch (e) {
          body = {}
        }
        if (res.statusCode >= 200 && res.statusCode < 300) resolve(body)
        else reject(errorFrom(res.statusCode, body))
      },
      fail() {
        reject(new ApiError({ network: true, detail: '上传失败：网络连接中断，请点“重试”重新上传。' }))
      },
    })
    if (task && task.onProgressUpdate && onProgress) {
      task.onProgressUpdate((p) => onProgress(p.progress))
    }
  })
}

// The field errors of a 400, as one string per field name ('positions[0].headcount').
// The services name rows 'positions[0].x'; DRF's own shape checks say 'positions.0.x':
// both land on the same field.
export function fieldErrors(error) {
  const out = {}
  if (error && error.errors) {
    Object.keys(error.errors).forEach((k) => {
      const v = error.errors[k]
      const name = k.replace(/\.(\d+)(?=\.|$)/g, '[$1]')
      const text = Array.isArray(v) ? v.join('；') : String(v)
      out[name] = out[name] ? out[name] + '；' + text : text
    })
  }
  return out
}
