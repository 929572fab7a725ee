// News HTML → <rich-text> nodes, sanitised again on the client (the server already
// cleans content_html; this makes the page safe even if it did not): only the tags
// and attributes below survive, text is kept as text (never parsed as markup by the
// renderer), scripts/styles/iframes are dropped with their content, event handlers,
// style and class attributes are dropped, and an image only loads from the API's own
// host. No v-html anywhere: <rich-text :nodes> renders the tree in both targets.
import { apiUrl } from '../config'

const KEEP = {
  p: 1, br: 1, strong: 1, b: 1, em: 1, i: 1, u: 1, s: 1, sub: 1, sup: 1, span: 1, div: 1,
  h1: 1, h2: 1, h3: 1, h4: 1, h5: 1, h6: 1, blockquote: 1, pre: 1, code: 1, hr: 1,
  ul: 1, ol: 1, li: 1, table: 1, thead: 1, tbody: 1, tfoot: 1, tr: 1, th: 1, td: 1, caption: 1,
  img: 1, a: 1,
}
const DROP_WITH_CONTENT = { script: 1, style: 1, iframe: 1, object: 1, embed: 1, noscript: 1, template: 1, svg: 1, math: 1, textarea: 1, select: 1 }
const VOID = { br: 1, hr: 1, img: 1, input: 1, meta: 1, link: 1, col: 1, area: 1, base: 1, wbr: 1, source: 1 }
// What our own nodes look like: fixed styles written here, never taken from the HTML.
const STYLE = {
  img: 'max-width:100%;height:auto;display:block;margin:8px 0;',
  table: 'border-collapse:collapse;width:100%;margin:8px 0;',
  th: 'border:1px solid #ddd;padding:4px;background:#f7f7f7;',
  td: 'border:1px solid #ddd;padding:4px;',
  p: 'margin:0 0 10px;line-height:1.7;',
  blockquote: 'margin:8px 0;padding-left:10px;border-left:3px solid #ddd;color:#666;',
}

const ENTITIES = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0', ldquo: '“', rdquo: '”', lsquo: '‘', rsquo: '’', mdash: '—', hellip: '…', middot: '·' }

export function decodeEntities(text) {
  return text.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (m, code) => {
    if (code[0] === '#') {
      const n = code[1] === 'x' || code[1] === 'X' ? parseInt(code.slice(2), 16) : parseInt(code.slice(1), 10)
      return n > 0 && n < 0x110000 ? String.fromCodePoint(n) : ''
    }
    const v = ENTITIES[code.toLowerCase()]
    return v === undefined ? m : v
  })
}

function parseAttrs(source) {
  const attrs = {}
  const re = /([^\s"'<>\/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?/g
  let m
  while ((m = re.exec(source))) {
    attrs[m[1].toLowerCase()] = decodeEntities(m[2] !== undefined ? m[2] : m[3] !== undefined ? m[3] : m[4] || '')
  }
  return attrs
}

function cleanAttrs(tag, attrs) {
  const out = {}
  if (STYLE[tag]) out.style = STYLE[tag]
  if (tag === 'img') {
    const src = apiUrl(attrs.src || '')
    if (!src) return null // an image from elsewhere is not loaded
    out.src = src
    if (attrs.alt) out.alt = attrs.alt.slice(0, 200)
  }
  if ((tag === 'td' || tag === 'th') && /^[0-9]{1,2}$/.test(attrs.colspan || '')) out.colspan = attrs.colspan
  if ((tag === 'td' || tag === 'th') && /^[0-9]{1,2}$/.test(attrs.rowspan || '')) out.rowspan = attrs.rowspan
  return out
}

// Returns the nodes array for <rich-text :nodes="…">.
export function htmlToNodes(html) {
  const root = { children: [] }
  const stack = [{ name: '#root', node: root }]
  let dropping = null // a tag whose whole content is dropped (script, style…)
  const re = /<!--[\s\S]*?-->|<!\[CDATA\[[\s\S]*?\]\]>|<!doctype[^>]*>|<\/\s*([a-zA-Z][a-zA-Z0-9]*)\s*>|<([a-zA-Z][a-zA-Z0-9]*)((?:"[^"]*"|'[^']*'|[^'">])*)>|([^<]+|<)/gi
  let m
  const top = () => stack[stack.length - 1].node
  while ((m = re.exec(String(html || '')))) {
    const [, closeName, openName, attrSource, text] = m
    if (dropping) {
      if (closeName && closeName.toLowerCase() === dropping) dropping = null
      continue
    }
    if (text !== undefined) {
      const value = decodeEntities(text)
      if (value) top().children.push({ type: 'text', text: value })
    } else if (openName) {
      const tag = openName.toLowerCase()
      if (DROP_WITH_CONTENT[tag]) {
        if (!/\/\s*$/.test(attrSource || '')) dropping = tag
        continue
      }
      if (!KEEP[tag]) continue // unknown tags vanish, their text stays
      const attrs = cleanAttrs(tag, parseAttrs(attrSource || ''))
      if (attrs === null) continue
      // links are shown as their text (a tap cannot leave the app for another site)
      const node = { name: tag === 'a' ? 'span' : tag, attrs, children: [] }
      top().children.push(node)
      if (!VOID[tag] && !/\/\s*$/.test(attrSource || '')) stack.push({ name: tag, node })
    } else if (closeName) {
      const tag = closeName.toLowerCase()
      for (let i = stack.length - 1; i > 0; i--) {
        if (stack[i].name === tag) {
          stack.length = i
          break
        }
      }
    }
  }
  return prune(root.children)
}

function prune(nodes) {
  return nodes.map((n) => {
    if (n.type === 'text') return n
    const out = { name: n.name, attrs: n.attrs }
    if (n.children.length) out.children = prune(n.children)
    return out
  })
}
