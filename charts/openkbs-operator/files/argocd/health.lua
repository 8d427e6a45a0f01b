-- Argo CD health of the OpenKBS kinds (ClientAccount, Project, AuditRun, AccountTransfer), Lua 5.1 as Argo CD runs it.
-- Suspended: the openkbs.com/paused annotation (or Ready reason Paused). Progressing: no status yet, a spec generation
-- the operator has not observed, or Ready not True for a transient reason. Degraded: a terminal reason (Terminal*), a
-- Failed/Error phase or state, or an AWS-suspended account. Healthy: Ready True for the observed generation, or a
-- finished end state (AuditRun Passed, AccountTransfer Completed, ClientAccount Closed or Transferred).
local hs = {}
local meta = obj.metadata or {}
local annotations = meta.annotations or {}
if annotations["openkbs.com/paused"] == "true" then
  hs.status = "Suspended"
  hs.message = "Paused by the openkbs.com/paused annotation"
  return hs
end
local status = obj.status
if status == nil then
  hs.status = "Progressing"
  hs.message = "Waiting for the operator to report a status"
  return hs
end
if meta.generation ~= nil and (status.observedGeneration == nil or status.observedGeneration < meta.generation) then
  hs.status = "Progressing"
  hs.message = "Waiting for the operator to observe generation " .. tostring(meta.generation)
  return hs
end
local ready = nil
if status.conditions ~= nil then
  for _, condition in ipairs(status.conditions) do
    if condition.type == "Ready" then
      ready = condition
    end
  end
end
local message = ""
if ready ~= nil and ready.message ~= nil then
  message = ready.message
end
local reason = ""
if ready ~= nil and ready.reason ~= nil then
  reason = ready.reason
end
local phase = status.phase or status.state
if reason == "Paused" then
  hs.status = "Suspended"
  hs.message = message
  return hs
end
if string.sub(reason, 1, 8) == "Terminal" or phase == "Failed" or phase == "Error" then
  hs.status = "Degraded"
  hs.message = reason .. ": " .. message
  return hs
end
if obj.kind == "ClientAccount" and phase == "Suspended" then
  hs.status = "Degraded"
  hs.message = "AWS reports the account SUSPENDED"
  return hs
end
if phase == "Passed" or phase == "Completed" or phase == "Closed" or phase == "Transferred" then
  hs.status = "Healthy"
  hs.message = phase
  return hs
end
if ready ~= nil and ready.status == "True" then
  hs.status = "Healthy"
  hs.message = message
  return hs
end
hs.status = "Progressing"
if ready == nil then
  hs.message = "Waiting for the Ready condition"
else
  hs.message = reason .. ": " .. message
end
return hs
