// The server's API as the pages use it (paths and bodies: docs/miniprogram.md and
// the OpenAPI document at /api/docs/).
import { get, post, put, patch, del, upload } from './request'

const P = '/api/v1/portal'

export const api = {
  // home and news
  home: () => get(P + '/home/'),
  news: (q, page) => get(P + '/news/', { q, page }),
  newsItem: (id) => get(P + '/news/' + id + '/'),
  // 急难愁盼
  captcha: () => get('/api/v1/captcha/'),
  sendConcern: (body) => post(P + '/concerns/', body),
  lookupConcern: (number, phone) => get(P + '/concerns/lookup/', { number, phone }),
  // accounts
  lookups: (kind) => get('/api/v1/lookups/' + kind + '/'),
  register: (body) => post(P + '/accounts/register/', body),
  token: (username, password) => post('/api/v1/auth/token/', { username, password }),
  logout: () => post('/api/v1/auth/logout/'),
  me: () => get(P + '/me/'),
  saveProfile: (body) => patch(P + '/me/', body),
  // talent demands
  demands: (page) => get(P + '/demands/', { page }),
  demand: (id) => get(P + '/demands/' + id + '/'),
  createDemand: (body) => post(P + '/demands/', body),
  updateDemand: (id, body) => put(P + '/demands/' + id + '/', body),
  submitDemand: (id) => post(P + '/demands/' + id + '/submit/'),
  withdrawDemand: (id) => del(P + '/demands/' + id + '/'),
  demandOutcome: (id, body) => post(P + '/demands/' + id + '/outcome/', body),
  // job fairs
  fairs: () => get(P + '/jobfairs/'),
  registrations: (page) => get(P + '/registrations/', { page }),
  registration: (id) => get(P + '/registrations/' + id + '/'),
  createRegistration: (body) => post(P + '/registrations/', body),
  updateRegistration: (id, body) => put(P + '/registrations/' + id + '/', body),
  submitRegistration: (id) => post(P + '/registrations/' + id + '/submit/'),
  withdrawRegistration: (id) => del(P + '/registrations/' + id + '/'),
  uploadStampedForm: (id, filePath, onProgress) =>
    upload(P + '/registrations/' + id + '/stamped_form/', filePath, onProgress),
  // the bureau's own fields on a form (no sign-in): object = demand / registration / concern
  fields: (object) => get('/api/v1/platform/fields/', { object }),
  // the employee questionnaire
  questionnaire: (key) => get('/api/v1/questionnaires/' + key + '/'),
  entryEnterprises: (q) => get('/api/v1/questionnaires/entry/enterprises/', { q }),
  entryHrCompanies: (uscc) => get('/api/v1/questionnaires/entry/enterprises/' + uscc + '/hr-companies/'),
  answer: (key, body) => post('/api/v1/questionnaires/' + key + '/responses/', body),
}

// A list answer: DRF's page ({count, next, results}) or a plain array.
export function rows(data) {
  if (Array.isArray(data)) return data
  return (data && data.results) || []
}
