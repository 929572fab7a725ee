// The bureau's own fields (issue 17) on the phone's forms: the definitions the
// public and enterprise forms show (GET /api/v1/platform/fields/?object=…, no
// sign-in), kept for the session in one shared store so a form and its detail
// page ask once; a pull-down fetches them again (the bureau may have added one).
import { reactive } from 'vue'
import { api, rows } from '../api/index'

// object → { fields: [...], loaded: bool, error: '' }
export const customStore = reactive({})
const inFlight = {}

function slot(object) {
  if (!customStore[object]) customStore[object] = { fields: [], loaded: false, error: '' }
  return customStore[object]
}

export function loadFields(object, force) {
  const state = slot(object)
  if (state.loaded && !force) return Promise.resolve(state.fields)
  if (inFlight[object]) return inFlight[object]
  state.error = ''
  inFlight[object] = api
    .fields(object)
    .then((data) => {
      state.fields = rows(data)
        .filter((f) => f.object === object)
        .sort((a, b) => a.order - b.order)
      state.loaded = true
      return state.fields
    })
    .catch((e) => {
      state.error = e.message || '加载失败'
      return state.fields
    })
    .finally(() => {
      delete inFlight[object]
    })
  return inFlight[object]
}

export function fieldsOf(object) {
  return slot(object).fields
}

function empty(value) {
  return value === undefined || value === null || value === '' || (Array.isArray(value) && !value.length)
}

// One typed value as the API takes it; empty → null (the server then says 请填写… for a
// required one, or drops the stored value). Numbers that are not digits are sent as
// typed so the server names the problem next to the field.
function toApi(field, value) {
  if (empty(value)) return null
  switch (field.type) {
    case 'number': {
      const text = String(value).trim()
      return /^-?\d{1,15}$/.test(text) ? Number(text) : text
    }
    case 'decimal': return String(value).trim()
    case 'boolean': return value === true || value === 'true'
    case 'multi_choice': return [].concat(value)
    default: return value
  }
}

// The request body's `custom`: every field the form shows, or undefined when the
// bureau defined none (the key is then left out). Before the definitions arrived
// (a slow or failed fetch) what the draft holds is sent as it is.
export function customBody(object, values) {
  const state = slot(object)
  const typed = values || {}
  if (!state.loaded) {
    const kept = Object.keys(typed).filter((k) => !empty(typed[k]))
    if (!kept.length) return undefined
    const out = {}
    kept.forEach((k) => (out[k] = typed[k]))
    return out
  }
  if (!state.fields.length) return undefined
  const out = {}
  state.fields.forEach((f) => (out[f.code] = toApi(f, typed[f.code])))
  return out
}

// A record's `custom` (as read from the API) → the form's values (inputs hold text).
export function fromRecord(custom) {
  const out = {}
  Object.keys(custom || {}).forEach((code) => {
    const v = custom[code]
    if (v === null || v === undefined) return
    out[code] = typeof v === 'number' ? String(v) : v
  })
  return out
}

// A value as people read it: labels for choices, 是/否 for yes/no.
export function valueText(field, value) {
  if (empty(value)) return ''
  if (field.type === 'boolean') return value === true || value === 'true' ? '是' : '否'
  if (field.type === 'choice' || field.type === 'multi_choice') {
    const labels = {}
    ;(field.choices || []).forEach((c) => (labels[c.code] = c.label))
    return [].concat(value).map((c) => labels[c] || c).join('、')
  }
  return String(value)
}

// [{code, label, text}] of a record's values for a detail page, in the fields' order;
// a value whose definition did not load is still shown under its code.
export function displayRows(object, custom) {
  const values = custom || {}
  const fields = fieldsOf(object)
  const known = {}
  const out = fields.map((f) => {
    known[f.code] = true
    return { code: f.code, label: f.label, text: valueText(f, values[f.code]) || '—' }
  })
  Object.keys(values).forEach((code) => {
    if (!known[code] && !empty(values[code])) {
      out.push({ code, label: code, text: [].concat(values[code]).join('、') })
    }
  })
  return out
}
