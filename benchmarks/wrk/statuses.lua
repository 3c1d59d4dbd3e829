-- Counts the responses by HTTP status and prints "status <code> <count>" lines after wrk's
-- report, so that a page answering with a redirect or an error is not taken for a fast page:
-- wrk itself counts every 3xx as a success. Headers (cookies) come from wrk's -H options.

local threads = {}
counts = {}

function setup(thread)
   table.insert(threads, thread)
end

function response(status, headers, body)
   counts[status] = (counts[status] or 0) + 1
end

function done(summary, latency, requests)
   local total = {}
   for _, thread in ipairs(threads) do
      for status, count in pairs(thread:get("counts")) do
         total[status] = (total[status] or 0) + count
      end
   end
   for status, count in pairs(total) do
      io.write(string.format("status %d %d\n", status, count))
   end
end
