// Where the API lives. Set at build time, never in code:
//   VITE_API_BASE=https://hrss.example.gov.cn npx uni build -p mp-weixin
// Empty means "same origin": right for the H5 build that Django serves under /m/.
// The mini program needs an absolute HTTPS address that the bureau has put on the
// appid's request / uploadFile domain whitelist (docs/miniprogram.md).
const raw = (import.meta.env.VITE_API_BASE || '').trim()

export const API_BASE = raw.replace(/\/+$/, '')

// A relative address from the server (/media/…, /api/…) made absolute for the mini
// program; an address on any other host is refused (returns '').
export function apiUrl(path) {
  if (!path) return ''
  if (/^https?:\/\//i.test(path)) {
    if (!API_BASE) {
      // H5 on the same origin: only our own host.
      if (typeof location !== 'undefined' && path.startsWith(location.origin + '/')) return path
      return ''
    }
    return path === API_BASE || path.startsWith(API_BASE + '/') ? path : ''
  }
  if (!path.startsWith('/')) return ''
  return API_BASE + path
}
