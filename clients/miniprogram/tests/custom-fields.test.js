// The bureau's own fields (issue 17) in the built mini program: the component
// (src/components/custom-fields.vue) asks GET /api/v1/platform/fields/?object=…,
// draws one input per type, keeps what was typed in the page's draft, adds
// `custom` to the body (only when a field is defined), shows a 400's
// errors["custom.<code>"] by its field; the detail pages show the values as read.
const fs = require('fs')
const path = require('path')
const { openPage, byId, text, type, tap, flush, mockRequest } = require('./harness')

const API = global.API_BASE
const FIELDS_URL = API + '/api/v1/platform/fields/'
const LOOKUP = [{ code: 'a1', label: '选项一' }, { code: 'other', label: '其他' }]

function field(object, code, type, label, extra) {
  return Object.assign({ object, code, type, label, type_label: type, required: false, help_text: '', order: 0, choices: [], personal: false }, extra || {})
}

// One field of every type, in the order the bureau gave them.
function allTypes(object) {
  return [
    field(object, 'note', 'text', '备注', { order: 1, help_text: '不超过200字' }),
    field(object, 'story', 'long_text', '补充说明', { order: 2 }),
    field(object, 'interns', 'number', '实习生人数', { order: 3, required: true }),
    field(object, 'budget', 'decimal', '招聘预算（万元）', { order: 4 }),
    field(object, 'start', 'date', '最早到岗日期', { order: 5 }),
    field(object, 'urgent', 'boolean', '是否急招', { order: 6, required: true }),
    field(object, 'channel', 'choice', '招聘渠道', { order: 7, choices: [{ code: 'fair', label: '招聘会' }, { code: 'online', label: '网络招聘' }] }),
    field(object, 'perks', 'multi_choice', '福利', { order: 8, choices: [{ code: 'meal', label: '工作餐' }, { code: 'dorm', label: '宿舍' }, { code: 'bus', label: '班车' }] }),
  ]
}

function requests(mock, method) {
  return mock.mock.calls.map((c) => c[0]).filter((o) => !method || o.method === method)
}

function inside(page, host, selector) {
  const found = page.querySelector('#' + host + ' >>> ' + selector)
  if (!found) throw new Error('没有找到 ' + selector + '：\n' + page.dom.innerHTML.slice(0, 3000))
  return found
}

function all(page, host, selector) {
  return page.querySelectorAll('#' + host + ' >>> ' + selector)
}

async function fillEveryType(page, host) {
  inside(page, host, '#cf-note').dispatchEvent('input', { detail: { value: '希望尽快对接' } })
  inside(page, host, '#cf-story').dispatchEvent('input', { detail: { value: '第一行\n第二行' } })
  inside(page, host, '#cf-interns').dispatchEvent('input', { detail: { value: '3' } })
  inside(page, host, '#cf-budget').dispatchEvent('input', { detail: { value: '12.5' } })
  inside(page, host, '#cf-start').dispatchEvent('change', { detail: { value: '2027-03-01' } })
  await flush()
  all(page, host, '.cf-yes-no')[1].dispatchEvent('tap') // 否
  await flush()
  inside(page, host, '#cf-channel >>> .picker-host').dispatchEvent('change', { detail: { value: 1 } })
  await flush()
  all(page, host, '.check')[2].dispatchEvent('tap')
  await flush()
  all(page, host, '.check')[0].dispatchEvent('tap')
  await flush()
}

const EVERY_TYPE_SENT = {
  note: '希望尽快对接', story: '第一行\n第二行', interns: 3, budget: '12.5', start: '2027-03-01', urgent: false,
  channel: 'online', perks: ['bus', 'meal'],
}

beforeEach(() => {
  wx.clearStorageSync()
})

test('人才需求: every type drawn in order, required ones marked, the body carries custom, the draft keeps it', async () => {
  wx.setStorageSync('mp.token', 'tok')
  const calls = mockRequest((o) => {
    if (o.url === FIELDS_URL) return { statusCode: 200, data: { results: allTypes('demand') } }
    if (o.url.indexOf(API + '/api/v1/lookups/') === 0) return { statusCode: 200, data: LOOKUP }
    if (o.url === API + '/api/v1/portal/demands/') return { statusCode: 201, data: { id: 41 } }
  })
  const page = await openPage('pages/demands/form')
  const ask = requests(calls, 'GET').find((o) => o.url === FIELDS_URL)
  expect(ask.data).toEqual({ object: 'demand' })
  const shown = text(page)
  expect(shown).toContain('其他信息')
  const order = ['备注', '补充说明', '实习生人数', '招聘预算（万元）', '最早到岗日期', '是否急招', '招聘渠道', '福利'].map((l) => shown.indexOf(l))
  expect(order.every((at, n) => at > 0 && (n === 0 || at > order[n - 1]))).toBe(true)
  expect(shown).toContain('不超过200字') // the help text
  expect(inside(page, 'd-custom', '#field-custom_interns .field__req')).toBeTruthy()
  expect(page.querySelector('#d-custom >>> #field-custom_note .field__req')).toBeFalsy()
  expect(inside(page, 'd-custom', '#cf-story').dom.tagName.toLowerCase()).toBe('wx-textarea')
  expect(inside(page, 'd-custom', '#cf-start').dom.tagName.toLowerCase()).toBe('wx-picker')
  expect(inside(page, 'd-custom', '#cf-channel >>> .picker-host').dom.tagName.toLowerCase()).toBe('wx-picker')
  // the keyboards (the simulator's <input> does not reflect its type: read the built template)
  const wxml = fs.readFileSync(path.join(global.DIST, 'components', 'custom-fields.wxml'), 'utf8')
  expect(wxml).toMatch(/<input[^>]*type="number"[^>]*placeholder="整数"/)
  expect(wxml).toMatch(/<input[^>]*type="digit"/)
  expect(wxml).toMatch(/<picker[^>]*mode="date"/)
  expect(all(page, 'd-custom', '.cf-yes-no').map((n) => n.dom.textContent)).toEqual(['是', '否'])
  expect(all(page, 'd-custom', '.check').map((n) => n.dom.textContent)).toEqual(['工作餐', '宿舍', '班车'])
  expect(text(page)).toContain('请选择日期')

  await fillEveryType(page, 'd-custom')
  expect(inside(page, 'd-custom', '#cf-start').dom.textContent).toContain('2027-03-01')
  expect(inside(page, 'd-custom', '#cf-channel').dom.textContent).toContain('网络招聘')
  expect(all(page, 'd-custom', '.check--on').map((n) => n.dom.textContent)).toEqual(['✓工作餐', '✓班车'])
  expect(all(page, 'd-custom', '.chip--on').map((n) => n.dom.textContent)).toEqual(['否'])
  // typed, not yet sent: in the page's draft with its other fields
  expect(JSON.parse(wx.getStorageSync('mp.draft.demand-new')).custom).toMatchObject({ note: '希望尽快对接', interns: '3', urgent: false, perks: ['bus', 'meal'] })

  await tap(page, 'demand-save')
  await flush(50)
  const [create] = requests(calls, 'POST')
  expect(create.url).toBe(API + '/api/v1/portal/demands/')
  expect(create.data.custom).toEqual(EVERY_TYPE_SENT)
})

test('a draft brings the custom values back when the form opens again', async () => {
  wx.setStorageSync('mp.token', 'tok')
  wx.setStorageSync('mp.draft.demand-new', JSON.stringify({ contact_name: '周联系', custom: { note: '上次写的', start: '2027-05-01', urgent: true, perks: ['dorm'] } }))
  mockRequest((o) => {
    if (o.url === FIELDS_URL) return { statusCode: 200, data: { results: allTypes('demand') } }
    if (o.url.indexOf(API + '/api/v1/lookups/') === 0) return { statusCode: 200, data: LOOKUP }
  })
  const page = await openPage('pages/demands/form')
  // (the simulator's built-in <input> keeps no value to read: the picker, chips and boxes show it)
  expect(inside(page, 'd-custom', '#cf-start').dom.textContent).toContain('2027-05-01')
  expect(all(page, 'd-custom', '.chip--on').map((n) => n.dom.textContent)).toEqual(['是'])
  expect(all(page, 'd-custom', '.check--on').map((n) => n.dom.textContent)).toEqual(['✓宿舍'])
})

test('400 on custom.<code>: the message stands by its own field, the values stay', async () => {
  wx.setStorageSync('mp.token', 'tok')
  mockRequest((o) => {
    if (o.url === FIELDS_URL) return { statusCode: 200, data: { results: allTypes('demand') } }
    if (o.url.indexOf(API + '/api/v1/lookups/') === 0) return { statusCode: 200, data: LOOKUP }
    if (o.method === 'POST') {
      return { statusCode: 400, data: { detail: '填写内容有误，请按提示修改', errors: {
        'custom.interns': ['实习生人数：应为整数'], 'custom.urgent': ['请填写是否急招'], 'custom.gone': ['没有这个自定义字段'] } } }
    }
  })
  const page = await openPage('pages/demands/form')
  inside(page, 'd-custom', '#cf-interns').dispatchEvent('input', { detail: { value: '3.5' } })
  await flush()
  await tap(page, 'demand-save')
  await flush(50)
  expect(inside(page, 'd-custom', '#field-custom_interns .field__error').dom.textContent).toBe('实习生人数：应为整数')
  expect(inside(page, 'd-custom', '#field-custom_urgent .field__error').dom.textContent).toBe('请填写是否急招')
  expect(page.querySelector('#d-custom >>> #field-custom_note .field__error')).toBeFalsy()
  expect(text(page)).toContain('没有这个自定义字段') // an error with no field here is not lost
  expect(text(page)).toContain('共 3 处需要修改')
  expect(JSON.parse(wx.getStorageSync('mp.draft.demand-new')).custom.interns).toBe('3.5')
  // changed: that field's message goes, the others stay until the server answers again
  inside(page, 'd-custom', '#cf-interns').dispatchEvent('input', { detail: { value: '3' } })
  await flush()
  expect(page.querySelector('#d-custom >>> #field-custom_interns .field__error')).toBeFalsy()
  expect(inside(page, 'd-custom', '#field-custom_urgent .field__error').dom.textContent).toBe('请填写是否急招')
})

test('no field defined: nothing drawn, no custom key in the body', async () => {
  wx.setStorageSync('mp.token', 'tok')
  const calls = mockRequest((o) => {
    if (o.url === FIELDS_URL) return { statusCode: 200, data: { results: [] } }
    if (o.url.indexOf(API + '/api/v1/lookups/') === 0) return { statusCode: 200, data: LOOKUP }
    if (o.method === 'POST') return { statusCode: 201, data: { id: 42 } }
  })
  const page = await openPage('pages/demands/form')
  expect(text(page)).not.toContain('其他信息')
  expect(page.querySelector('#d-custom >>> .field')).toBeFalsy()
  await tap(page, 'demand-save')
  await flush(50)
  expect(Object.keys(requests(calls, 'POST')[0].data)).not.toContain('custom')
})

test('the definitions are asked once per session and again on a pull-down; a failed fetch offers 重试', async () => {
  wx.setStorageSync('mp.token', 'tok')
  let fail = true
  const calls = mockRequest((o) => {
    if (o.url === FIELDS_URL) {
      if (fail) return { statusCode: 500, data: {} }
      return { statusCode: 200, data: { results: [field('demand', 'note', 'text', '备注')] } }
    }
    if (o.url.indexOf(API + '/api/v1/lookups/') === 0) return { statusCode: 200, data: LOOKUP }
  })
  const page = await openPage('pages/demands/form')
  expect(text(page)).toContain('“其他信息”的填写项没有加载')
  fail = false
  inside(page, 'd-custom', '.cf-reload').dispatchEvent('tap')
  await flush(50)
  expect(text(page)).toContain('备注')
  expect(text(page)).not.toContain('没有加载')
  const asked = () => requests(calls, 'GET').filter((o) => o.url === FIELDS_URL).length
  expect(asked()).toBe(2)
  wx.stopPullDownRefresh = jest.fn()
  page.instance.onPullDownRefresh()
  await flush(50)
  expect(asked()).toBe(3)
  expect(wx.stopPullDownRefresh).toHaveBeenCalled()
})

test('人才需求 detail: the values as people read them (labels, 是/否, — where empty)', async () => {
  wx.setStorageSync('mp.token', 'tok')
  const demand = {
    id: 9, status: 'pending', status_label: '待审核', reject_reason: '', outcome: '', company_name: '常州测试有限公司',
    contact_name: '周联系', contact_phone: '13900000001', months: [3], workforce_size: 200, services: [], services_other: '',
    positions: [], custom: { note: '尽快', story: null, interns: 3, budget: '12.5', start: '2027-03-01', urgent: true, channel: 'fair', perks: ['meal', 'bus'] },
  }
  mockRequest((o) => {
    if (o.url === FIELDS_URL) return { statusCode: 200, data: { results: allTypes('demand') } }
    return { statusCode: 200, data: demand }
  })
  const page = await openPage('pages/demands/detail', { id: '9' })
  await flush(50)
  const value = (code) => inside(page, 'demand-custom', '#cv-' + code).dom.textContent
  expect(value('urgent')).toBe('是')
  expect(value('channel')).toBe('招聘会')
  expect(value('perks')).toBe('工作餐、班车')
  expect(value('interns')).toBe('3')
  expect(value('start')).toBe('2027-03-01')
  expect(value('story')).toBe('—')
  expect(text(page)).toContain('是否急招')
})

test('招聘会报名: the body carries custom; an edit opens with the stored values; the detail shows them', async () => {
  wx.setStorageSync('mp.token', 'tok')
  const fields = [field('registration', 'booth', 'choice', '展位类型', { required: true, choices: [{ code: 'std', label: '标准展位' }, { code: 'big', label: '特装展位' }] }),
    field('registration', 'parking', 'boolean', '是否需要停车位', { order: 2 })]
  const stored = {
    id: 7, status: 'draft', status_label: '草稿', reject_reason: '', contact_name: '周联系', contact_phone: '13900000001', introduction: '',
    jobfair: { id: 3, name: '春风行动招聘会', date: '2027-03-01', venue: '钟楼区人力资源市场' },
    attendees: [{ name: '张参会', gender: 'male', title: '人事经理', phone: '13700000001', id_number: '320404198001010011' }],
    positions: [{ title: '操作工', count: 5, education: 'a1', major: '', description: '', salary_min: 5000, salary_max: 7000 }],
    stamped_form: null, custom: { booth: 'big', parking: false },
  }
  const calls = mockRequest((o) => {
    if (o.url === FIELDS_URL) return { statusCode: 200, data: { results: fields } }
    if (o.url.indexOf(API + '/api/v1/lookups/') === 0) return { statusCode: 200, data: LOOKUP }
    if (o.url === API + '/api/v1/portal/registrations/7/') return { statusCode: 200, data: o.method === 'PUT' ? { ...stored, custom: o.data.custom } : stored }
  })
  wx.redirectTo = jest.fn()
  const page = await openPage('pages/jobfairs/form', { id: '7' })
  await flush(50)
  expect(requests(calls, 'GET').find((o) => o.url === FIELDS_URL).data).toEqual({ object: 'registration' })
  expect(inside(page, 'r-custom', '#cf-booth').dom.textContent).toContain('特装展位')
  expect(all(page, 'r-custom', '.chip--on').map((n) => n.dom.textContent)).toEqual(['否'])
  all(page, 'r-custom', '.cf-yes-no')[0].dispatchEvent('tap')
  await flush()
  await tap(page, 'registration-save')
  await flush(50)
  const put = requests(calls, 'PUT')[0]
  expect(put.url).toBe(API + '/api/v1/portal/registrations/7/')
  expect(put.data.custom).toEqual({ booth: 'big', parking: true })

  const detail = await openPage('pages/jobfairs/detail', { id: '7' })
  await flush(50)
  expect(inside(detail, 'registration-custom', '#cv-booth').dom.textContent).toBe('特装展位')
  expect(inside(detail, 'registration-custom', '#cv-parking').dom.textContent).toBe('否')
})

test('急难愁盼: the body carries custom, a 400 by the field, then the number with what was sent', async () => {
  const fields = [field('concern', 'district', 'choice', '所在街道', { required: true, choices: [{ code: 'xc', label: '西林街道' }, { code: 'nd', label: '南大街街道' }] }),
    field('concern', 'age', 'number', '年龄', { order: 2 })]
  let refuse = true
  const calls = mockRequest((o) => {
    if (o.url === API + '/api/v1/captcha/') return { statusCode: 200, data: { key: 'k1', image_url: API + '/captcha/image/k1/' } }
    if (o.url === FIELDS_URL) return { statusCode: 200, data: { results: fields } }
    if (o.method === 'POST' && refuse) {
      refuse = false
      return { statusCode: 400, data: { detail: '填写内容有误，请按提示修改', errors: { 'custom.district': ['请填写所在街道'] } } }
    }
    return { statusCode: 201, data: { number: 'JN2026-000009' } }
  })
  const page = await openPage('pages/concern/form')
  await type(page, 'concern-name', '王群众')
  await type(page, 'concern-phone', '13812345678')
  await type(page, 'concern-details', '拖欠工资')
  inside(page, 'concern-custom-fields', '#cf-age').dispatchEvent('input', { detail: { value: '45' } })
  await flush()
  await type(page, 'captcha-value', 'AB12')
  await tap(page, 'concern-submit')
  await flush(50)
  expect(requests(calls, 'POST')[0].data.custom).toEqual({ district: null, age: 45 })
  expect(inside(page, 'concern-custom-fields', '#field-custom_district .field__error').dom.textContent).toBe('请填写所在街道')
  inside(page, 'concern-custom-fields', '#cf-district >>> .picker-host').dispatchEvent('change', { detail: { value: 1 } })
  await flush()
  await type(page, 'captcha-value', 'CD34')
  await tap(page, 'concern-submit')
  await flush(50)
  const second = requests(calls, 'POST')[1]
  expect(second.data).toMatchObject({ name: '王群众', custom: { district: 'nd', age: 45 } })
  expect(byId(page, 'concern-number').dom.textContent).toBe('JN2026-000009')
  expect(inside(page, 'concern-custom', '#cv-district').dom.textContent).toBe('南大街街道')
})
