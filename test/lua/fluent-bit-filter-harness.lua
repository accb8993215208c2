-- Runs a Fluent Bit Lua filter over audit events the way Fluent Bit's filter_lua does, in a plain
-- Lua 5.4: each line of stdin is one JSON record; it is turned into a table as flb_lua_pushmsgpack
-- does (a metatable marks maps and arrays; with enable_flb_null a JSON null is the flb_null value,
-- a userdata), passed to the filter as (tag, timestamp, record), and the result is written as one
-- JSON line: {"code":N} for a dropped or untouched record, {"code":N,"record":{...}} otherwise.
-- Usage: lua5.4 fluent-bit-filter-harness.lua <filter.lua> <function name> < events.jsonl

local script, call = arg[1], arg[2]

-- flb_null: a userdata that is not nil, as `enable_flb_null on` gives the filter.
flb_null = io.stdout

local MAP = { type = 2 }
local ARRAY = { type = 1 }

local function decode(text)
  local pos = 1
  local value
  local function skip()
    pos = string.find(text, "[^ \t\r\n]", pos) or (#text + 1)
  end
  local function fail(what)
    error("JSON: " .. what .. " at " .. pos)
  end
  local function str()
    local out = {}
    pos = pos + 1
    while true do
      local c = string.byte(text, pos)
      if c == nil then fail("unterminated string") end
      if c == 34 then pos = pos + 1; break end
      if c == 92 then
        local e = string.sub(text, pos + 1, pos + 1)
        local simple = { ['"'] = '"', ["\\"] = "\\", ["/"] = "/", b = "\b", f = "\f", n = "\n", r = "\r", t = "\t" }
        if simple[e] then
          out[#out + 1] = simple[e]
          pos = pos + 2
        elseif e == "u" then
          local code = tonumber(string.sub(text, pos + 2, pos + 5), 16)
          pos = pos + 6
          if code >= 0xD800 and code <= 0xDBFF and string.sub(text, pos, pos + 1) == "\\u" then
            local low = tonumber(string.sub(text, pos + 2, pos + 5), 16)
            if low >= 0xDC00 and low <= 0xDFFF then
              code = 0x10000 + (code - 0xD800) * 0x400 + (low - 0xDC00)
              pos = pos + 6
            end
          end
          out[#out + 1] = utf8.char(code)
        else
          fail("bad escape")
        end
      else
        local stop = string.find(text, '["\\]', pos) or (#text + 1)
        out[#out + 1] = string.sub(text, pos, stop - 1)
        pos = stop
      end
    end
    return table.concat(out)
  end
  local byte = string.byte
  function value()
    skip()
    local b = byte(text, pos)
    local c = b == 123 and "{" or b == 91 and "[" or b == 34 and '"' or ""
    if c == "{" then
      local t = setmetatable({}, MAP)
      pos = pos + 1
      skip()
      if string.sub(text, pos, pos) == "}" then pos = pos + 1; return t end
      while true do
        skip()
        local k = str()
        skip()
        if byte(text, pos) ~= 58 then fail("expected :") end
        pos = pos + 1
        t[k] = value()
        skip()
        local d = byte(text, pos)
        pos = pos + 1
        if d == 125 then return t end
        if d ~= 44 then fail("expected , or }") end
      end
    elseif c == "[" then
      local t = setmetatable({}, ARRAY)
      pos = pos + 1
      skip()
      if string.sub(text, pos, pos) == "]" then pos = pos + 1; return t end
      local n = 0
      while true do
        n = n + 1
        t[n] = value()
        skip()
        local d = byte(text, pos)
        pos = pos + 1
        if d == 93 then return t end
        if d ~= 44 then fail("expected , or ]") end
      end
    elseif c == '"' then
      return str()
    elseif string.sub(text, pos, pos + 3) == "true" then
      pos = pos + 4
      return true
    elseif string.sub(text, pos, pos + 4) == "false" then
      pos = pos + 5
      return false
    elseif string.sub(text, pos, pos + 3) == "null" then
      pos = pos + 4
      return flb_null
    else
      local number = string.match(text, "^-?%d+%.?%d*[eE]?[-+]?%d*", pos)
      if not number or number == "" then fail("unexpected character") end
      pos = pos + #number
      local n = tonumber(number)
      return math.tointeger(n) or n
    end
  end
  local result = value()
  return result
end

local function encode(v, out)
  local kind = type(v)
  if v == flb_null then
    out[#out + 1] = "null"
  elseif kind == "string" then
    out[#out + 1] = '"' .. string.gsub(v, '[%c"\\]', function(c)
      return string.format("\\u%04x", string.byte(c))
    end) .. '"'
  elseif kind == "number" then
    if math.type(v) == "integer" then out[#out + 1] = string.format("%d", v) else out[#out + 1] = string.format("%.17g", v) end
  elseif kind == "boolean" then
    out[#out + 1] = tostring(v)
  elseif kind == "table" then
    local meta = getmetatable(v)
    -- A table the filter made itself has no metatable: flb_lua_tomsgpack packs it as an array when
    -- it has a length (lua_rawlen under Lua 5.2 and later, table.maxn under LuaJIT), else as a map.
    if meta == ARRAY or (meta == nil and #v > 0) then
      out[#out + 1] = "["
      for i, item in ipairs(v) do
        if i > 1 then out[#out + 1] = "," end
        encode(item, out)
      end
      out[#out + 1] = "]"
    else
      local keys = {}
      for k in pairs(v) do keys[#keys + 1] = k end
      table.sort(keys)
      out[#out + 1] = "{"
      for i, k in ipairs(keys) do
        if i > 1 then out[#out + 1] = "," end
        encode(k, out)
        out[#out + 1] = ":"
        encode(v[k], out)
      end
      out[#out + 1] = "}"
    end
  else
    error("cannot encode a " .. kind)
  end
end

dofile(script)
local filter = _G[call]
if type(filter) ~= "function" then error("the script defines no function " .. call) end

for line in io.lines() do
  if line ~= "" then
    local record = decode(line)
    local code, _, result = filter("kube.audit", 1700000000.5, record)
    local out = { '{"code":', tostring(code) }
    if code == 1 or code == 2 then
      out[#out + 1] = ',"record":'
      encode(result, out)
    end
    out[#out + 1] = "}"
    io.write(table.concat(out), "\n")
  end
end
