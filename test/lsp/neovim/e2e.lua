-- Drives `dplc lsp --stdio` from Neovim's built-in LSP client (Neovim 0.7 API: Debian 12
-- ships 0.7.2) on a three-file project, and writes what it saw to $DPLC_NVIM_OUT as JSON.
-- neovim.test.ts starts this with `nvim --headless -u NONE` and judges the result.
--
-- Environment: DPLC_NVIM_NODE (node), DPLC_NVIM_DPLC (bin/dplc), DPLC_NVIM_ROOT (the
-- project folder), DPLC_NVIM_OUT (where to write the result).

local node = os.getenv("DPLC_NVIM_NODE")
local dplc = os.getenv("DPLC_NVIM_DPLC")
local root = os.getenv("DPLC_NVIM_ROOT")
local out_path = os.getenv("DPLC_NVIM_OUT")
local TIMEOUT = 120000

local result = { steps = {} }

local function finish()
  local f = io.open(out_path, "w")
  f:write(vim.fn.json_encode(result))
  f:close()
  vim.cmd("qa!")
end

local function fail(step, message)
  result.steps[step] = { ok = false, error = message }
end

local function file(name)
  return root .. "/" .. name
end

local function buf_text(bufnr)
  return table.concat(vim.api.nvim_buf_get_lines(bufnr, 0, -1, false), "\n")
end

local ok, err = pcall(function()
  vim.cmd("edit " .. vim.fn.fnameescape(file("main.ds")))
  local main_buf = vim.api.nvim_get_current_buf()

  local initialized = false
  local client_id = vim.lsp.start_client({
    name = "dplc",
    cmd = { node, dplc, "lsp", "--stdio" },
    root_dir = root,
    on_init = function()
      initialized = true
    end,
  })
  if not client_id then
    error("vim.lsp.start_client failed")
  end
  vim.lsp.buf_attach_client(main_buf, client_id)
  if not vim.wait(TIMEOUT, function() return initialized end, 50) then
    error("the server did not initialize")
  end
  local client = vim.lsp.get_client_by_id(client_id)
  local caps = client.server_capabilities or client.resolved_capabilities
  result.capabilities = {
    rename = caps.renameProvider ~= nil and caps.renameProvider ~= false,
    codeAction = caps.codeActionProvider ~= nil and caps.codeActionProvider ~= false,
    definition = caps.definitionProvider == true,
    references = caps.referencesProvider == true,
  }
  result.offset_encoding = client.offset_encoding

  -- 1. Diagnostics in a file no window shows: left.ds is never opened.
  local left_buf = vim.uri_to_bufnr(vim.uri_from_fname(file("left.ds")))
  local got = vim.wait(TIMEOUT, function() return #vim.diagnostic.get(left_buf) > 0 end, 50)
  local diags = {}
  for _, d in ipairs(vim.diagnostic.get(left_buf)) do
    table.insert(diags, { lnum = d.lnum, col = d.col, code = d.code or (d.user_data and d.user_data.lsp and d.user_data.lsp.code), message = d.message })
  end
  result.steps.unopened = { ok = got, diagnostics = diags, loaded = vim.api.nvim_buf_is_loaded(left_buf) }

  -- 2. Definition into the stdlib: `Some` (the prelude's), jumped to as an editor does.
  local text = buf_text(main_buf)
  local lines = vim.split(text, "\n")
  local def_line, def_col
  for i, l in ipairs(lines) do
    local c = l:find("Some(", 1, true)
    if c then
      def_line, def_col = i, c
    end
  end
  vim.api.nvim_win_set_cursor(0, { def_line, def_col })
  local params = vim.lsp.util.make_position_params()
  local resp = client.request_sync("textDocument/definition", params, TIMEOUT, main_buf)
  if resp and resp.result then
    local loc = resp.result[1] or resp.result
    vim.lsp.util.jump_to_location(loc, client.offset_encoding)
    local name = vim.api.nvim_buf_get_name(0)
    local cursor = vim.api.nvim_win_get_cursor(0)
    result.steps.definition = {
      ok = true,
      file = name,
      readable = vim.fn.filereadable(name) == 1,
      line = vim.api.nvim_buf_get_lines(0, cursor[1] - 1, cursor[1], false)[1],
    }
    vim.cmd("buffer " .. main_buf)
  else
    fail("definition", vim.inspect(resp))
  end

  -- 3. Rename across files: r_base (declared in right.ds) becomes r_core everywhere.
  if result.capabilities.rename then
    vim.cmd("edit " .. vim.fn.fnameescape(file("right.ds")))
    local right_buf = vim.api.nvim_get_current_buf()
    vim.lsp.buf_attach_client(right_buf, client_id)
    local rl = vim.api.nvim_buf_get_lines(right_buf, 0, -1, false)
    for i, l in ipairs(rl) do
      local c = l:find("r_base", 1, true)
      if c then
        vim.api.nvim_win_set_cursor(0, { i, c })
        break
      end
    end
    local rp = vim.lsp.util.make_position_params()
    rp.newName = "r_core"
    local r = client.request_sync("textDocument/rename", rp, TIMEOUT, right_buf)
    if r and r.result then
      vim.lsp.util.apply_workspace_edit(r.result, client.offset_encoding)
      local left_after = vim.fn.bufnr(file("left.ds"))
      vim.fn.bufload(left_after)
      result.steps.rename = {
        ok = true,
        right = buf_text(right_buf),
        left = buf_text(left_after),
        main = buf_text(main_buf),
      }
    else
      fail("rename", vim.inspect(r))
    end
    vim.cmd("buffer " .. main_buf)
  else
    result.steps.rename = { skipped = "the server does not advertise renameProvider" }
  end

  -- 4. A quick fix applied: the unused binding in main.ds gets its `_` prefix.
  if result.capabilities.codeAction then
    local ready = vim.wait(TIMEOUT, function()
      for _, d in ipairs(vim.diagnostic.get(main_buf)) do
        if d.message:find("unused", 1, true) then return true end
      end
      return false
    end, 50)
    local target
    for _, d in ipairs(vim.diagnostic.get(main_buf)) do
      if d.message:find("unused", 1, true) then target = d end
    end
    if ready and target then
      -- Back to the LSP form the server published (what vim.lsp.buf.code_action sends).
      local lsp_diag = vim.tbl_extend("keep", {
        range = { start = { line = target.lnum, character = target.col }, ["end"] = { line = target.end_lnum, character = target.end_col } },
        message = target.message, code = target.code, severity = target.severity, source = target.source,
      }, (target.user_data and target.user_data.lsp) or {})
      local cp = {
        textDocument = { uri = vim.uri_from_bufnr(main_buf) },
        range = lsp_diag.range,
        context = { diagnostics = { lsp_diag }, only = { "quickfix" } },
      }
      local r = client.request_sync("textDocument/codeAction", cp, TIMEOUT, main_buf)
      local applied
      for _, action in ipairs((r and r.result) or {}) do
        if action.edit and not applied then
          vim.lsp.util.apply_workspace_edit(action.edit, client.offset_encoding)
          applied = action.title
        end
      end
      result.steps.quickfix = { ok = applied ~= nil, title = applied, main = buf_text(main_buf) }
    else
      fail("quickfix", "no `unused` diagnostic in main.ds")
    end
  else
    result.steps.quickfix = { skipped = "the server does not advertise codeActionProvider" }
  end

  vim.lsp.stop_client(client_id)
end)

if not ok then
  result.error = tostring(err)
end
finish()
