// WeChat login (wx.login → code → the bureau's server → an account) is NOT implemented.
//
// Why: it needs the bureau's own appid and AppSecret, and a server endpoint that
// exchanges the code with WeChat (jscode2session) and binds the openid to an
// enterprise account. Neither exists yet, and nothing here can be tested without them,
// so the working path is account + password (POST /api/v1/auth/token/).
//
// Where binding goes, when the bureau has an appid:
//  1. Server: a new endpoint in the portal app, e.g. POST /api/v1/portal/wechat/bind/
//     { code } for a signed-in account (stores the openid on the account), and
//     POST /api/v1/auth/wechat/ { code } → { token } for an account already bound.
//     The AppSecret stays on the server (site settings), never in this client.
//  2. Client: the two functions below call uni.login({ provider: 'weixin' }) and send
//     the code to those endpoints; pages/account/me.vue shows a "绑定微信" button and
//     pages/account/login.vue a "微信一键登录" button only when WECHAT_LOGIN_READY is true.
//
// Until then both functions refuse plainly instead of pretending to work.

export const WECHAT_LOGIN_READY = false

export const NOT_READY_MESSAGE = '微信登录尚未开通：请使用企业账号和密码登录。'

export function bindWechat() {
  return Promise.reject(new Error(NOT_READY_MESSAGE))
}

export function loginWithWechat() {
  return Promise.reject(new Error(NOT_READY_MESSAGE))
}
