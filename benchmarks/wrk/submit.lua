-- Sends each prepared rating submission once: remote-link answers as the client's phone sends
-- them, a JSON body with a fresh submission key to a link of its own.
--
-- WRK_REQUESTS names a file of lines "<path> <JSON body>"; the submission keys answered with
-- 201 (stored now) are written to the file WRK_ACCEPTED when the run ends, so the benchmark can
-- check that every accepted answer was stored exactly once. Run with one thread (-t1). When
-- the prepared answers run out the thread stops, so wrk's rate covers only the time in which
-- each request stored a new answer.

local threads = {}
local pending = {}
local next_request = 1
exhausted = false
counts = {}
accepted = {}

function setup(thread)
   table.insert(threads, thread)
end

function init(args)
   for line in io.lines(os.getenv("WRK_REQUESTS")) do
      local path, body = line:match("^(%S+) (.*)$")
      if path then
         local headers = {}
         for name, value in pairs(wrk.headers) do
            headers[name] = value
         end
         headers["Content-Type"] = "application/json"
         headers["Accept"] = "application/json"
         table.insert(pending, wrk.format("POST", path, headers, body))
      end
   end
end

function request()
   if next_request > #pending then
      -- Every answer is sent: repeat the last (answered "already stored") until stopped.
      exhausted = true
      return pending[#pending]
   end
   local prepared = pending[next_request]
   next_request = next_request + 1
   return prepared
end

function response(status, headers, body)
   counts[status] = (counts[status] or 0) + 1
   if status == 201 then
      local key = body:match('"submission_key":%s*"([%x%-]+)"')
      if key then
         table.insert(accepted, key)
      end
   end
   if exhausted then
      wrk.thread:stop()
   end
end

function done(summary, latency, requests)
   local total = {}
   local out = io.open(os.getenv("WRK_ACCEPTED"), "w")
   for _, thread in ipairs(threads) do
      for status, count in pairs(thread:get("counts")) do
         total[status] = (total[status] or 0) + count
      end
      for _, key in ipairs(thread:get("accepted")) do
         out:write(key, "\n")
      end
   end
   out:close()
   for status, count in pairs(total) do
      io.write(string.format("status %d %d\n", status, count))
   end
   for _, thread in ipairs(threads) do
      if thread:get("exhausted") then
         io.write("exhausted\n")
      end
   end
end
