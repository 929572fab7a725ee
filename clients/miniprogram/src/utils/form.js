// What every form page does: keep the values as a draft in storage while typing,
// send them, show a 400's field errors next to the fields and the sentence on top,
// keep everything on a network failure (the "重试" button sends again), and drop the
// draft once the server accepted it.
import { reactive, ref, watch } from 'vue'
import { fieldErrors } from '../api/request'
import { clearDraft, loadDraft, saveDraft } from './drafts'

// draftKey: a name, or a function giving it (a form whose record gets an id on its
// first save keeps its draft under that id from then on); '' keeps no draft.
export function useForm(draftKeyOf, blank) {
  const key = () => (typeof draftKeyOf === 'function' ? draftKeyOf() : draftKeyOf)
  const form = reactive(Object.assign(blank(), key() ? loadDraft(key(), {}) : {}))
  const errors = ref({})
  const banner = ref('')
  const busy = ref(false)
  const retry = ref(null) // the last send, offered again after a network failure
  watch(form, () => key() && saveDraft(key(), form), { deep: true })

  function reset(values) {
    const fresh = Object.assign(blank(), values || {})
    Object.keys(form).forEach((k) => delete form[k])
    Object.assign(form, fresh)
  }

  // again: the page's own action, repeated by 重试 after a network failure (so its
  // follow-up — showing the result, moving on — runs too).
  function send(fn, again) {
    if (busy.value) return Promise.resolve(null)
    busy.value = true
    banner.value = ''
    retry.value = null
    return fn()
      .then((result) => {
        errors.value = {}
        if (key()) clearDraft(key())
        return result
      })
      .catch((e) => {
        errors.value = fieldErrors(e)
        banner.value = e.message || '操作失败，请重试'
        if (e.network) retry.value = again || (() => quietly(fn))
        if (e.status === 400) {
          const n = Object.keys(errors.value).length
          if (n > 1) banner.value = '共 ' + n + ' 处需要修改，已在对应位置标红。'
          uni.pageScrollTo && uni.pageScrollTo({ scrollTop: 0, duration: 0 })
        }
        throw e
      })
      .finally(() => {
        busy.value = false
      })
  }

  // Fire-and-forget variant for templates: errors are already on the page.
  function quietly(fn) {
    return send(fn).catch(() => null)
  }

  // 重试: the last action that failed on the network, once more.
  function again() {
    const action = retry.value
    if (action) action()
  }

  function forget() {
    if (key()) clearDraft(key())
  }

  return { form, errors, banner, busy, retry, again, send, quietly, reset, forget }
}
