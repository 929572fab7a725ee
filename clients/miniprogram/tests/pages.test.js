// The built mini program's pages in miniprogram-simulate (jsdom): they render, react
// to taps and typing, and call wx.request / wx.uploadFile with the token header and
// the bodies the API expects (tests/portal/api on the server side). wx.request and
// wx.uploadFile are the mocks (plus wx.chooseImage: the camera).
const { openPage, byId, text, type, tap, flush, mockRequest } = require('./harness')

const API = global.API_BASE
const LOOKUP = [{ code: 'a1', label: '选项一' }, { code: 'other', label: '其他' }]

function requests(mock, method) {
  return mock.mock.calls.map((c) => c[0]).filter((o) => !method || o.method === method)
}

// The captcha, and no custom field defined by the bureau (tests/custom-fields.test.js has them).
function captchaOr(o, answer) {
  if (o.url === API + '/api/v1/captcha/') return { statusCode: 200, data: { key: 'k1', image_url: API + '/captcha/image/k1/' } }
  if (o.url === API + '/api/v1/platform/fields/') return { statusCode: 200, data: { results: [] } }
  return answer(o)
}

beforeEach(() => {
  wx.clearStorageSync()
})

test('急难愁盼: posts name, phone, details and the captcha, then shows the number', async () => {
  const calls = mockRequest((o) => captchaOr(o, () => ({ statusCode: 201, data: { number: 'JN2026-000007' } })))
  const page = await openPage('pages/concern/form')
  await type(page, 'concern-name', '王群众')
  await type(page, 'concern-phone', '13812345678')
  await type(page, 'concern-details', '拖欠工资')
  await type(page, 'captcha-value', 'AB12')
  await tap(page, 'concern-submit')
  await flush(50)
  const [post] = requests(calls, 'POST')
  expect(post.url).toBe(API + '/api/v1/portal/concerns/')
  expect(post.header['Content-Type']).toBe('application/json')
  expect(post.header.Authorization).toBeUndefined() // nobody signed in
  expect(post.data).toEqual({ name: '王群众', phone: '13812345678', details: '拖欠工资', captcha_key: 'k1', captcha_value: 'AB12' })
  expect(byId(page, 'concern-number').dom.textContent).toBe('JN2026-000007')
  expect(wx.getStorageSync('mp.draft.concern')).toBe('') // accepted: the draft is gone
})

test('a network failure keeps what was typed and 重试 sends it again', async () => {
  let fail = true
  const calls = mockRequest((o) =>
    captchaOr(o, () => {
      if (fail) {
        fail = false
        return { fail: true }
      }
      return { statusCode: 201, data: { number: 'JN2026-000008' } }
    }),
  )
  const page = await openPage('pages/concern/form')
  await type(page, 'concern-name', '王群众')
  await type(page, 'concern-details', '社保断缴')
  await tap(page, 'concern-submit')
  await flush(50)
  expect(text(page)).toContain('网络连接失败')
  expect(JSON.parse(wx.getStorageSync('mp.draft.concern'))).toMatchObject({ name: '王群众', details: '社保断缴' })
  await tap(page, 'retry')
  await flush(50)
  expect(requests(calls, 'POST')).toHaveLength(2)
  expect(requests(calls, 'POST')[1].data).toMatchObject({ name: '王群众', details: '社保断缴' })
  expect(byId(page, 'concern-number').dom.textContent).toBe('JN2026-000008')
})

test('400: each field error is shown next to its field', async () => {
  mockRequest((o) =>
    captchaOr(o, () => ({
      statusCode: 400,
      data: { detail: '填写内容有误，请按提示修改', errors: { phone: ['手机号格式不正确'], captcha_value: ['验证码不正确'] } },
    })),
  )
  const page = await openPage('pages/concern/form')
  await tap(page, 'concern-submit')
  await flush(50)
  expect(text(page)).toContain('手机号格式不正确')
  expect(text(page)).toContain('验证码不正确')
  expect(text(page)).toContain('共 2 处需要修改')
})

test('login: account + password → token in storage, then /me/ with the Token header', async () => {
  const calls = mockRequest((o) => {
    if (o.url === API + '/api/v1/auth/token/') return { statusCode: 200, data: { token: 'abc123', expiry: null } }
    if (o.url === API + '/api/v1/portal/me/') return { statusCode: 200, data: { name: '常州测试有限公司', status: 'pending', status_label: '待审核' } }
  })
  const page = await openPage('pages/account/login')
  await type(page, 'login-username', 'ent1')
  await type(page, 'login-password', 'Secret#2026')
  await tap(page, 'login-submit')
  await flush(50)
  const [token, me] = requests(calls)
  expect(token.method).toBe('POST')
  expect(token.data).toEqual({ username: 'ent1', password: 'Secret#2026' })
  expect(me.url).toBe(API + '/api/v1/portal/me/')
  expect(me.header.Authorization).toBe('Token abc123')
  expect(wx.getStorageSync('mp.token')).toBe('abc123')
  expect(wx.getStorageSync('mp.draft.login')).toBe('') // the password is never in a draft
})

test('a pending account is told why the service waits (403 账号待审核)', async () => {
  wx.setStorageSync('mp.token', 'tok')
  const calls = mockRequest(() => ({ statusCode: 403, data: { detail: '账号待审核' } }))
  const page = await openPage('pages/demands/list')
  await flush(50)
  expect(requests(calls)[0].header.Authorization).toBe('Token tok')
  expect(text(page)).toContain('您的企业账号正在审核中')
})

test('talent demand: the multi-row form posts the contract body, then submits', async () => {
  wx.setStorageSync('mp.token', 'tok')
  const calls = mockRequest((o) => {
    if (o.url.indexOf(API + '/api/v1/lookups/') === 0) return { statusCode: 200, data: LOOKUP }
    if (o.url === API + '/api/v1/portal/demands/') return { statusCode: 201, data: { id: 41 } }
    if (o.url === API + '/api/v1/portal/demands/41/submit/') return { statusCode: 200, data: { id: 41, status: 'pending' } }
  })
  const page = await openPage('pages/demands/form')
  await type(page, 'd-contact-name', '周联系')
  await type(page, 'd-contact-phone', '13912345678')
  await type(page, 'd-workforce', '200')
  page.querySelectorAll('#d-months >>> .chip')[2].dispatchEvent('tap')
  await flush()
  page.querySelector('#p0-position >>> .picker-host').dispatchEvent('change', { detail: { value: 0 } })
  page.querySelector('#p0-employment >>> .picker-host').dispatchEvent('change', { detail: { value: 0 } })
  await type(page, 'p0-headcount', '10')
  await type(page, 'p0-salary-min', '4500')
  await type(page, 'p0-salary-max', '6000')
  await tap(page, 'add-position')
  expect(page.querySelector('#position-1')).toBeTruthy()
  await tap(page, 'demand-submit')
  await flush(50)
  const [create, submit] = requests(calls, 'POST')
  expect(create.header.Authorization).toBe('Token tok')
  expect(create.data).toMatchObject({ contact_name: '周联系', contact_phone: '13912345678', months: [3], workforce_size: 200 })
  expect(create.data.positions).toHaveLength(2)
  expect(create.data.positions[0]).toMatchObject({ position: 'a1', headcount: 10, gender: 'any', employment_type: 'a1', salary_min: 4500, salary_max: 6000, majors: [] })
  expect(create.data.positions[1]).toMatchObject({ position: '', headcount: '', salary_min: '' }) // blank: the server names it
  expect(submit.url).toBe(API + '/api/v1/portal/demands/41/submit/')
})

test('job fair: the stamped form is photographed and uploaded with wx.uploadFile, progress shown, then submitted', async () => {
  wx.setStorageSync('mp.token', 'tok')
  const draft = {
    id: 7, status: 'draft', status_label: '草稿', reject_reason: '', contact_name: '周联系', contact_phone: '13900000001',
    jobfair: { id: 3, name: '春风行动招聘会', date: '2027-03-01', venue: '钟楼区人力资源市场' },
    attendees: [{ name: '张参会', title: '人事经理' }], positions: [{ title: '操作工', count: 5 }], stamped_form: null,
  }
  const calls = mockRequest((o) => {
    if (o.url === API + '/api/v1/portal/registrations/7/') return { statusCode: 200, data: draft }
    if (o.url === API + '/api/v1/portal/registrations/7/submit/') return { statusCode: 200, data: { ...draft, status: 'pending', status_label: '待审核' } }
  })
  wx.chooseImage = jest.fn((o) => o.success({ tempFilePaths: ['wxfile://tmp/stamped.jpg'], tempFiles: [{ path: 'wxfile://tmp/stamped.jpg', size: 1000 }] }))
  let progress = null
  let finish = null
  wx.uploadFile = jest.fn((o) => {
    finish = () => o.success({ statusCode: 200, data: JSON.stringify({ ...draft, stamped_form: { name: 'stamped.jpg', url: '/x', content_type: 'image/jpeg' } }) })
    return { onProgressUpdate: (cb) => (progress = cb), abort() {} }
  })
  const page = await openPage('pages/jobfairs/detail', { id: '7' })
  expect(text(page)).toContain('春风行动招聘会')
  await tap(page, 'pick-stamped')
  expect(wx.chooseImage.mock.calls[0][0].sourceType).toEqual(['camera', 'album'])
  const upload = wx.uploadFile.mock.calls[0][0]
  expect(upload.url).toBe(API + '/api/v1/portal/registrations/7/stamped_form/')
  expect(upload.name).toBe('file')
  expect(upload.filePath).toBe('wxfile://tmp/stamped.jpg')
  expect(upload.header.Authorization).toBe('Token tok')
  progress({ progress: 42, totalBytesSent: 420, totalBytesExpectedToSend: 1000 })
  await flush()
  expect(text(page)).toContain('已上传 42%')
  finish()
  await flush(50)
  expect(byId(page, 'stamped-name').dom.textContent).toBe('stamped.jpg')
  await tap(page, 'registration-submit')
  await flush(50)
  const submit = requests(calls, 'POST')[0]
  expect(submit.url).toBe(API + '/api/v1/portal/registrations/7/submit/')
  expect(submit.header.Authorization).toBe('Token tok')
  expect(byId(page, 'registration-status').dom.textContent).toBe('待审核')
})

test('news detail: the HTML is rendered as rich-text nodes, scripts and foreign images dropped', async () => {
  mockRequest(() => ({
    statusCode: 200,
    data: {
      id: 5, title: '稳岗返还', published_on: '2026-12-01', publisher: '就业促进科', pinned: true, attachments: [],
      content_html: '<p onclick="steal()">申请<strong>条件</strong></p><script>steal()</script>' +
        '<img src="https://evil.example/t.png" onerror="steal()"><img src="/media/news/a.png" style="position:fixed">',
    },
  }))
  const page = await openPage('pages/news/detail', { id: '5' })
  await flush(50)
  const nodes = JSON.stringify(page.instance.data)
  expect(text(page)).toContain('稳岗返还')
  expect(nodes).toContain('条件')
  expect(nodes).not.toContain('steal')
  expect(nodes).not.toContain('evil.example')
  expect(nodes).not.toContain('position:fixed')
  expect(nodes).toContain(API + '/media/news/a.png')
})

const ME = {
  id: 3, username: 'ent1', uscc: '91320404000000001X', name: '常州测试有限公司', industry: 'C', industry_label: '制造业',
  address: '钟楼区测试路1号', industrial_chain: 'new_energy', industrial_chain_label: '新能源', profile: '', contact_name: '周联系',
  contact_phone: '13900000001', status: 'rejected', status_label: '未通过', reject_reason: '营业执照名称不一致',
}

test('我的账号: status and reason shown; the profile saved without the account or USCC; logout drops the token', async () => {
  wx.setStorageSync('mp.token', 'tok')
  const calls = mockRequest((o) => {
    if (o.url === API + '/api/v1/portal/me/' && o.method === 'GET') return { statusCode: 200, data: ME }
    if (o.url === API + '/api/v1/portal/me/' && o.method === 'PATCH') return { statusCode: 200, data: { ...ME, ...o.data, status: 'pending', status_label: '待审核', reject_reason: '' } }
    if (o.url.indexOf(API + '/api/v1/lookups/') === 0) return { statusCode: 200, data: [{ code: 'C', label: '制造业' }, { code: 'new_energy', label: '新能源' }] }
    if (o.url === API + '/api/v1/auth/logout/') return { statusCode: 204, data: '' }
  })
  wx.reLaunch = jest.fn()
  const page = await openPage('pages/account/me')
  await flush(50)
  expect(byId(page, 'status-label').dom.textContent).toBe('未通过')
  expect(text(page)).toContain('营业执照名称不一致')
  await type(page, 'f-name', '常州测试科技有限公司')
  await tap(page, 'profile-save')
  await flush(50)
  const saved = requests(calls, 'PATCH')[0]
  expect(saved.header.Authorization).toBe('Token tok')
  expect(saved.data).toEqual({ name: '常州测试科技有限公司', industry: 'C', address: '钟楼区测试路1号', industrial_chain: 'new_energy', profile: '', contact_name: '周联系', contact_phone: '13900000001' })
  expect(byId(page, 'status-label').dom.textContent).toBe('待审核')
  await tap(page, 'logout')
  await flush(50)
  const out = requests(calls, 'POST')[0]
  expect(out.url).toBe(API + '/api/v1/auth/logout/')
  expect(out.header.Authorization).toBe('Token tok')
  expect(wx.getStorageSync('mp.token')).toBe('')
})

test('人才需求: an approved demand takes the outcome per position', async () => {
  wx.setStorageSync('mp.token', 'tok')
  const demand = {
    id: 9, status: 'approved', status_label: '已通过', reject_reason: '', outcome: '', outcome_label: '', company_name: '常州测试有限公司',
    contact_name: '周联系', contact_phone: '13900000001', months: [3], workforce_size: 200, services: [], services_other: '',
    positions: [{ id: 21, position_text: '普工', headcount: 10, salary_min: 4500, salary_max: 6000, hired: null },
      { id: 22, position_text: '电工', headcount: 2, salary_min: 6000, salary_max: 8000, hired: null }],
  }
  const calls = mockRequest((o) => {
    if (o.method === 'GET') return { statusCode: 200, data: demand }
    return { statusCode: 200, data: { ...demand, outcome: 'partial', outcome_label: '未完全达成' } }
  })
  const page = await openPage('pages/demands/detail', { id: '9' })
  await flush(50)
  expect(byId(page, 'demand-status').dom.textContent).toBe('已通过')
  page.querySelectorAll('#outcome-form .input')[0].dispatchEvent('input', { detail: { value: '8' } })
  page.querySelectorAll('#outcome-form .input')[1].dispatchEvent('input', { detail: { value: '2' } })
  page.querySelectorAll('#outcome-result >>> .chip')[1].dispatchEvent('tap')
  await flush()
  await tap(page, 'outcome-submit')
  await flush(50)
  const post = requests(calls, 'POST')[0]
  expect(post.url).toBe(API + '/api/v1/portal/demands/9/outcome/')
  expect(post.data).toEqual({ result: 'partial', positions: [{ id: 21, hired: 8 }, { id: 22, hired: 2 }] })
  expect(byId(page, 'demand-outcome').dom.textContent).toBe('未完全达成')
})

test('员工评价问卷 opened from the poster QR code (扫普通链接二维码): enterprise → HR company → answers posted', async () => {
  const uscc = '91320404000000063X'
  const calls = mockRequest((o) => {
    if (o.url === API + '/api/v1/questionnaires/employee/') {
      return { statusCode: 200, data: { key: 'employee', version: 1, title: '员工评价问卷', audience: 'employee', sections: [
        { title: '权益', questions: [{ code: 'E01', type: 'single', title: '是否签订劳动合同？', required: true, options: [{ code: 'yes', label: '是' }, { code: 'no', label: '否' }], scale: null, show_if: null }] }] } }
    }
    if (o.url === API + '/api/v1/questionnaires/entry/enterprises/') return { statusCode: 200, data: [{ uscc, name: '常州钟晟精密机械有限公司' }] }
    if (o.url.indexOf('/hr-companies/') > 0) return { statusCode: 200, data: [{ uscc: '913204040000009610', name: '常州龙城劳务派遣有限公司' }] }
    if (o.url === API + '/api/v1/captcha/') return { statusCode: 200, data: { key: 'k9', image_url: API + '/captcha/image/k9/' } }
    if (o.method === 'POST') return { statusCode: 201, data: { id: 1, score: 100 } }
  })
  const q = encodeURIComponent('https://hrss.example.gov.cn/questionnaires/employee/?enterprise=' + uscc)
  const page = await openPage('pages/questionnaire/entry', { q })
  await flush(80)
  expect(requests(calls, 'GET').find((o) => o.url.endsWith('/entry/enterprises/')).data).toEqual({ q: uscc })
  expect(byId(page, 'chosen-enterprise').dom.textContent).toBe('常州钟晟精密机械有限公司')
  page.querySelectorAll('#chips-E01 >>> .chip')[0].dispatchEvent('tap')
  await flush()
  await type(page, 'q-id-number', '320404198001010011')
  await type(page, 'captcha-value', 'ZZ99')
  await tap(page, 'answer-submit')
  await flush(50)
  const post = requests(calls, 'POST')[0]
  expect(post.url).toBe(API + '/api/v1/questionnaires/employee/responses/')
  expect(post.data).toEqual({
    year: new Date().getFullYear(), target_uscc: '913204040000009610', answers: { E01: 'yes' },
    respondent: { id_number: '320404198001010011', enterprise_uscc: uscc }, captcha_key: 'k9', captcha_value: 'ZZ99',
  })
  expect(text(page)).toContain('提交成功')
})
