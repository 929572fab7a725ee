// The signed-in enterprise's token, kept in the client's storage (uni.setStorageSync:
// wx storage in the mini program, localStorage in H5). Sent as `Authorization: Token …`.
import { reactive } from 'vue'

const TOKEN_KEY = 'mp.token'
const ACCOUNT_KEY = 'mp.account'

function read(key) {
  try {
    return uni.getStorageSync(key) || null
  } catch (e) {
    return null
  }
}

export const session = reactive({
  token: read(TOKEN_KEY),
  account: read(ACCOUNT_KEY),
  notice: '', // why the user was signed out (shown on the login page)
})

export function getToken() {
  return session.token
}

export function signIn(token) {
  session.notice = ''
  session.token = token
  uni.setStorageSync(TOKEN_KEY, token)
}

export function rememberAccount(account) {
  session.account = account
  uni.setStorageSync(ACCOUNT_KEY, account)
}

export function signOut(notice) {
  session.notice = notice || ''
  session.token = null
  session.account = null
  uni.removeStorageSync(TOKEN_KEY)
  uni.removeStorageSync(ACCOUNT_KEY)
}
