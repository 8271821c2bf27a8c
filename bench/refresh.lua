-- wrk script: POST /auth/refresh with chained refresh tokens. Refresh tokens are single use, so
-- each answer's new refresh token goes back into a pool and the next request takes one from it.
-- The pool starts with the tokens listed (one per line) in the file named by the first script
-- argument; each wrk thread takes its own share (tokens_per_thread = the second argument).
-- Usage: wrk ... -s bench/refresh.lua <url> -- <token file> <tokens per thread>
local counter = 0

function setup(thread)
  thread:set("id", counter)
  counter = counter + 1
end

function init(args)
  local file, share = args[1], tonumber(args[2])
  pool = {}
  local first, i = id * share, 0
  for line in io.lines(file) do
    if i >= first and i < first + share then
      pool[#pool + 1] = line
    end
    i = i + 1
  end
  headers = { ["Content-Type"] = "application/json" }
end

function request()
  local token = table.remove(pool) or "kwr_pool_empty"
  return wrk.format("POST", nil, headers, '{"refreshToken":"' .. token .. '"}')
end

function response(status, headers, body)
  local next = body:match('"refresh_token":"(kwr_[A-Za-z0-9_]+)"')
  if next then
    pool[#pool + 1] = next
  end
end
