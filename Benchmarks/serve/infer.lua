-- wrk script: POST one V2 infer request of BATCH (user, film) pairs, drawn once from the model's index ranges.
local batch = tonumber(os.getenv("BATCH") or "1")
local users = tonumber(os.getenv("USERS") or "600")
local films = tonumber(os.getenv("FILMS") or "9000")
math.randomseed(7)
local u, f = {}, {}
for i = 1, batch do
  u[i] = tostring(math.random(0, users))
  f[i] = tostring(math.random(0, films))
end
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = string.format(
  '{"inputs": [{"name": "user_index", "datatype": "INT64", "shape": [%d], "data": [%s]}, '
  .. '{"name": "item_index", "datatype": "INT64", "shape": [%d], "data": [%s]}]}',
  batch, table.concat(u, ","), batch, table.concat(f, ","))

done = function(summary, latency, requests)
  io.write(string.format("RESULT %f %f %f %d %d\n", summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, summary.errors.status, summary.requests))
end
