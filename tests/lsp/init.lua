-- Neovim's built-in LSP client against `quytrinh lsp` (run by tests/lsp.rs, `nvim_*`).
-- Environment: QUYTRINH_BIN (the binary), QUYTRINH_FILE (the .proc to open),
-- QUYTRINH_ROLE (`agency.role` to rename), QUYTRINH_NEW (the new role id),
-- QUYTRINH_OUT (where the results are written as JSON), QUYTRINH_TODAY.
-- Written for Neovim 0.7 and later (vim.lsp.start_client exists in all of them).

local env = vim.env
local results = { diagnostics = {}, steps = {} }

local function finish(status)
  results.status = status
  local f = io.open(env.QUYTRINH_OUT, "w")
  f:write(vim.fn.json_encode(results))
  f:close()
  vim.cmd("qall!")
end

local function step(name)
  table.insert(results.steps, name)
end

vim.cmd("edit " .. vim.fn.fnameescape(env.QUYTRINH_FILE))
local buf = vim.api.nvim_get_current_buf()
local root = vim.fn.fnamemodify(env.QUYTRINH_FILE, ":h")

local client_id = vim.lsp.start_client({
  name = "quytrinh",
  cmd = { env.QUYTRINH_BIN, "lsp" },
  root_dir = root,
  init_options = { today = env.QUYTRINH_TODAY },
})
if not client_id then
  finish("the client did not start")
end
vim.lsp.buf_attach_client(buf, client_id)
step("attached")

-- The diagnostics of the opened file.
local got = vim.wait(20000, function()
  return #vim.diagnostic.get(buf) > 0
end, 50)
if not got then
  finish("no diagnostics")
  return
end
for _, d in ipairs(vim.diagnostic.get(buf)) do
  local code = d.code or (d.user_data and d.user_data.lsp and d.user_data.lsp.code)
  table.insert(results.diagnostics, { code = code, line = d.lnum, col = d.col, severity = d.severity })
end
step("diagnostics")

-- Put the cursor on the role of `agency.role` and rename it.
local agency, role = env.QUYTRINH_ROLE:match("^(.-)%.(.*)$")
local pattern = "\\<" .. agency .. "\\." .. role .. "\\>"
local found = vim.fn.search(pattern, "w")
if found == 0 then
  finish("the role is not in the file")
  return
end
local cursor = vim.api.nvim_win_get_cursor(0)
vim.api.nvim_win_set_cursor(0, { cursor[1], cursor[2] + #agency + 1 })
vim.lsp.buf.rename(env.QUYTRINH_NEW)
local renamed = vim.wait(20000, function()
  local text = table.concat(vim.api.nvim_buf_get_lines(buf, 0, -1, false), "\n")
  return text:find(agency .. "." .. env.QUYTRINH_NEW, 1, true) ~= nil
end, 50)
if not renamed then
  finish("the rename was not applied")
  return
end
step("renamed")

-- Write every changed buffer (the rename also edited the file declaring the role).
vim.cmd("silent wall")
step("written")
vim.lsp.stop_client(client_id)
finish("ok")
