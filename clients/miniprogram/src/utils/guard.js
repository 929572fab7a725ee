// Pages for a signed-in enterprise: without a token, straight to the login page
// (which comes back here afterwards).
import { session } from '../auth/session'

export function requireLogin(here) {
  if (session.token) return true
  uni.redirectTo({ url: '/pages/account/login?next=' + encodeURIComponent(here) })
  return false
}
