-- Headless Neovim 0.7 as a real LSP client of `kube-reach lsp --stdio` (design §8).
-- Uses only the 0.7 API (vim.lsp.start_client, buf_attach_client, buf_request_sync, vim.wait).
-- Configuration comes from the environment (set by run.mjs):
--   KR_CMD       JSON array: the server command
--   KR_ROOT      workspace folder (root_dir)
--   KR_FILE      file to open
--   KR_WAIT_CODE diagnostic code to wait for
--   KR_HOVER     "line:col" (0-based) for textDocument/hover
--   KR_COMPLETE  "line:col" (0-based) for textDocument/completion
--   KR_TIMEOUT   ms per wait
--   KR_OUT       JSON result file
local function env(k) local v = os.getenv(k); if v == '' then return nil end; return v end
local out_path = assert(env('KR_OUT'), 'KR_OUT')
local timeout = tonumber(env('KR_TIMEOUT') or '20000')
local result = { errors = {} }

local function finish()
  local f = assert(io.open(out_path, 'w'))
  f:write(vim.fn.json_encode(result))
  f:close()
  vim.cmd('qall!')
end

local function pos(s)
  local l, c = s:match('^(%d+):(%d+)$')
  return { line = tonumber(l), character = tonumber(c) }
end

local ok, err = pcall(function()
  local cmd = vim.fn.json_decode((assert(env('KR_CMD'), 'KR_CMD')))
  local file = vim.fn.fnamemodify((assert(env('KR_FILE'), 'KR_FILE')), ':p')
  vim.cmd('edit ' .. vim.fn.fnameescape(file))
  local bufnr = vim.api.nvim_get_current_buf()
  vim.bo[bufnr].filetype = 'yaml'
  local initialized = false
  local analyses = 0
  local client_id = vim.lsp.start_client({
    name = 'kube-reach',
    cmd = cmd,
    root_dir = assert(env('KR_ROOT'), 'KR_ROOT'),
    on_init = function() initialized = true end,
    handlers = {
      -- sent after every analysis pass: the state to wait on before asking anything
      ['kubeReach/analysisComplete'] = function() analyses = analyses + 1 end,
    },
  })
  assert(client_id, 'start_client failed')
  vim.lsp.buf_attach_client(bufnr, client_id)
  if not vim.wait(timeout, function() return initialized end, 20) then error('the server did not answer initialize') end

  if not vim.wait(timeout, function() return analyses > 0 end, 20) then error('no kubeReach/analysisComplete within ' .. timeout .. ' ms') end
  local want = env('KR_WAIT_CODE')
  local got = want == nil or vim.wait(timeout, function()
    for _, d in ipairs(vim.diagnostic.get(bufnr)) do
      local code = d.code or (d.user_data and d.user_data.lsp and d.user_data.lsp.code)
      if code == want then return true end
    end
    return false
  end, 20)
  if not got then table.insert(result.errors, 'no ' .. tostring(want) .. ' diagnostic within ' .. timeout .. ' ms') end
  result.diagnostics = {}
  for _, d in ipairs(vim.diagnostic.get(bufnr)) do
    local lsp = d.user_data and d.user_data.lsp or {}
    table.insert(result.diagnostics, {
      code = d.code or lsp.code,
      lnum = d.lnum, col = d.col, end_lnum = d.end_lnum, end_col = d.end_col,
      severity = d.severity, message = d.message, source = d.source,
    })
  end

  local uri = vim.uri_from_bufnr(bufnr)
  local function request(method, params)
    local resp, e = vim.lsp.buf_request_sync(bufnr, method, params, timeout)
    if not resp then table.insert(result.errors, method .. ': ' .. tostring(e)); return nil end
    local r = resp[client_id]
    if r == nil then table.insert(result.errors, method .. ': no response'); return nil end
    if r.err then table.insert(result.errors, method .. ': ' .. vim.inspect(r.err)); return nil end
    return r.result
  end

  if env('KR_HOVER') then
    local h = request('textDocument/hover', { textDocument = { uri = uri }, position = pos(env('KR_HOVER')) })
    local text = ''
    if h and h.contents then
      local c = h.contents
      if type(c) == 'string' then text = c
      elseif c.value then text = c.value
      else for _, x in ipairs(c) do text = text .. (type(x) == 'string' and x or x.value) .. '\n' end end
    end
    result.hover = text
  end

  if env('KR_COMPLETE') then
    local c = request('textDocument/completion', { textDocument = { uri = uri }, position = pos(env('KR_COMPLETE')) })
    local items = c and (c.items or c) or {}
    result.completion = {}
    for _, it in ipairs(items) do table.insert(result.completion, it.label) end
  end

  vim.lsp.stop_client(client_id)
end)
if not ok then table.insert(result.errors, tostring(err)) end
finish()
