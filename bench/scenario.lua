-- wrk script for bench/run.py:
--   KM_BENCH_TOKEN=km_… wrk -s bench/scenario.lua <url> -- <mode> <ids file> <thread count> <resubmission date>
--   (pages: KM_BENCH_COOKIE="km_session=…" instead of the token: a session signed in through /login)
-- mode: "list" (GET /api/v1/cases?page_size=25), "detail" (GET /api/v1/cases/{id}, rotating over the
-- ids) or "transition" (POST /api/v1/cases/{id}/transitions, each case alternating
-- in_klaerung -> ruhend -> in_klaerung), "case_page" (GET /cases/{id}, the HTML case page, rotating) or a
-- path starting with "/" (GET that page). Each wrk thread owns a disjoint share of the ids, so two
-- requests on the same case only overlap when one thread wraps around its whole share.
-- At the end one line "STATUS <code>=<count> ..." counts every response by status code, and
-- "FIRST_ERROR <status> <body>" shows the first response that was not a success, if any.

local threads = {}
local thread_count = 0

function setup(thread)
  thread:set("tid", thread_count)
  thread_count = thread_count + 1
  table.insert(threads, thread)
end

local mode, headers, ids, position, state, resubmission
local verifying = false
statuses = {}
first_error = nil

function init(args)
  mode = args[1]
  -- Pages are requested with a signed-in session's cookie (KM_BENCH_COOKIE), the API with a token.
  local cookie = os.getenv("KM_BENCH_COOKIE")
  local token = os.getenv("KM_BENCH_TOKEN")
  if cookie and cookie ~= "" then
    headers = { ["Cookie"] = cookie }
  elseif token and token ~= "" then
    headers = { ["Authorization"] = "Bearer " .. token, ["Content-Type"] = "application/json" }
  else
    error("neither KM_BENCH_COOKIE nor KM_BENCH_TOKEN is set")
  end
  local threads_total = tonumber(args[3])
  resubmission = args[4]
  ids, state, position = {}, {}, 0
  local index = 0
  for line in io.lines(args[2]) do
    if line ~= "" then
      if index % threads_total == tid then
        table.insert(ids, line)
        state[line] = "in_klaerung"
      end
      index = index + 1
    end
  end
  if (mode == "detail" or mode == "transition" or mode == "case_page") and #ids == 0 then
    error("no case ids for thread " .. tid)
  end
  -- wrk calls request() once on the first thread to check the request before sending anything.
  verifying = tid == 0
end

local function next_id()
  position = position % #ids + 1
  return ids[position]
end

function request()
  if mode == "list" then
    return wrk.format("GET", "/api/v1/cases?page_size=25", headers)
  end
  if string.sub(mode, 1, 1) == "/" then
    return wrk.format("GET", mode, headers)
  end
  if verifying then
    verifying = false
    if mode == "case_page" then
      return wrk.format("GET", "/cases/" .. ids[1], headers)
    end
    return wrk.format("GET", "/api/v1/cases/" .. ids[1], headers)
  end
  local id = next_id()
  if mode == "case_page" then
    return wrk.format("GET", "/cases/" .. id, headers)
  end
  if mode == "detail" then
    return wrk.format("GET", "/api/v1/cases/" .. id, headers)
  end
  local body
  if state[id] == "ruhend" then
    body = '{"to":"in_klaerung"}'
    state[id] = "in_klaerung"
  else
    body = '{"to":"ruhend","reason":"Benchmark","resubmission_date":"' .. resubmission .. '"}'
    state[id] = "ruhend"
  end
  return wrk.format("POST", "/api/v1/cases/" .. id .. "/transitions", headers, body)
end

function response(status, _headers, body)
  statuses[status] = (statuses[status] or 0) + 1
  if status >= 300 and first_error == nil then
    first_error = status .. " " .. string.sub(body, 1, 400)
  end
  if mode == "transition" and status == 200 then
    -- Follow the server's view of the case, should a request have failed (409 on a collision).
    local id, current = string.match(body, '^{"id":"([^"]+)".-"status":"([^"]+)"')
    if id and state[id] then
      state[id] = current
    end
  end
end

function done(_summary, _latency, _requests)
  local total = {}
  for _, thread in ipairs(threads) do
    for code, count in pairs(thread:get("statuses")) do
      total[code] = (total[code] or 0) + count
    end
  end
  for _, thread in ipairs(threads) do
    local error_text = thread:get("first_error")
    if error_text then
      io.write("FIRST_ERROR " .. string.gsub(error_text, "\n", " ") .. "\n")
      break
    end
  end
  local parts = {}
  for code, count in pairs(total) do
    table.insert(parts, code .. "=" .. count)
  end
  table.sort(parts)
  io.write("STATUS " .. table.concat(parts, " ") .. "\n")
end
