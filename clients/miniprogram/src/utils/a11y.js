// H5 only: uni-app renders <input>/<textarea> inside its own wrappers, so a field's
// visible label is not tied to the control. Name each control after its field (what
// a screen reader reads; axe's "label" rule). The mini program has its own
// accessibility tree and needs nothing here.
export function nameControls(el, name) {
  // #ifdef H5
  if (!el || !el.querySelectorAll || !name) return
  el.querySelectorAll('input, textarea, select').forEach((control) => {
    if (!control.getAttribute('aria-label')) control.setAttribute('aria-label', name)
  })
  // #endif
}

export function describeImages(el, text) {
  // #ifdef H5
  if (!el || !el.querySelectorAll) return
  el.querySelectorAll('img').forEach((img) => {
    if (!img.getAttribute('alt')) img.setAttribute('alt', text)
  })
  // #endif
}
