// The status page: reads the REST API with the token kept in sessionStorage and redraws every 2 s.
(function () {
  "use strict";
  var REFRESH_MS = 2000;
  var KEY = "fulcrum-token";
  var params = new URLSearchParams(location.search);
  if (params.has("token")) {
    sessionStorage.setItem(KEY, params.get("token"));
    params.delete("token");
    history.replaceState(null, "", location.pathname + (params.toString() ? "?" + params : ""));
  }

  function $(id) { return document.getElementById(id); }

  function api(path) {
    return fetch(path, { headers: { "Authorization": "Bearer " + sessionStorage.getItem(KEY) } })
      .then(function (r) {
        return r.json().then(function (body) {
          if (!r.ok) { var e = new Error(body.error || r.statusText); e.status = r.status; throw e; }
          return body;
        });
      });
  }

  function short(value, prefix) { return String(value || "").replace(prefix, "") || "UNKNOWN"; }

  function ago(ms) {
    if (!ms) { return ""; }
    var s = Math.round((Date.now() - Number(ms)) / 1000);
    return s < 2 ? "now" : s < 120 ? s + " s ago" : Math.round(s / 60) + " min ago";
  }

  function table(id, head, rows) {
    var t = $(id);
    t.textContent = "";
    var tr = t.insertRow();
    head.forEach(function (h) { var th = document.createElement("th"); th.textContent = h; tr.appendChild(th); });
    if (rows.length === 0) {
      var td = t.insertRow().insertCell();
      td.colSpan = head.length; td.textContent = "none"; td.className = "hint";
    }
    rows.forEach(function (row) {
      var r = t.insertRow();
      row.forEach(function (cell) {
        var td = r.insertCell();
        var c = (cell !== null && typeof cell === "object") ? cell : { text: cell };
        td.textContent = c.text === undefined ? "" : String(c.text);
        if (c.cls) { td.className = c.cls; }
        if (c.data) { Object.keys(c.data).forEach(function (k) { td.dataset[k] = c.data[k]; }); }
      });
    });
  }

  function members(status) {
    $("summary").textContent = "cluster " + (status.clusterId || "?").slice(0, 8) + " · leader " +
      (status.leaderId || "none") + " · term " + (status.term || 0) + " · config version " + (status.configVersion || 0);
    table("members", ["member", "leader", "raft", "api", "reachability"], (status.members || []).map(function (m) {
      var reach = short(m.reachability, "REACHABILITY_");
      return [{ text: m.id, data: { member: m.id } }, m.leader ? "leader" : "", m.raftAddress, m.apiAddress,
        { text: reach, cls: reach }];
    }));
  }

  function nodes(response) {
    table("nodes", ["data plane", "state", "version", "lag", "connected to", "VIP roles", "open connections",
      "last seen", "last error"], (response.nodes || []).map(function (n) {
      var state = short(n.state, "SYNC_STATE_");
      var vips = (n.vips || []).map(function (v) { return v.vip + " " + short(v.state, "VRRP_STATE_"); }).join(", ");
      return [{ text: n.nodeId, data: { node: n.nodeId } }, { text: state, cls: state, data: { state: state } },
        { text: n.appliedVersion || 0, cls: "num" }, { text: n.lag || 0, cls: "num" }, n.connectedTo || "", vips,
        { text: n.openConnections || 0, cls: "num" }, ago(n.lastSeenUnixMs), n.lastNack ? n.lastNack.error : ""];
    }));
    return response.nodes || [];
  }

  function health(response, dataPlanes) {
    var ids = dataPlanes.map(function (n) { return n.nodeId; });
    (response.servers || []).forEach(function (s) {
      Object.keys(s.perNode || {}).forEach(function (id) { if (ids.indexOf(id) < 0) { ids.push(id); } });
    });
    table("health", ["server group", "server", "address", "overall"].concat(ids), (response.servers || []).map(function (s) {
      var overall = String(s.aggregate || "UNKNOWN").split(" ")[0];
      return [s.serverGroup, { text: s.server, data: { server: s.server } }, s.address,
        { text: s.aggregate || "UNKNOWN", cls: overall, data: { health: overall } }].concat(ids.map(function (id) {
        var seen = (s.perNode || {})[id];
        var state = seen ? short(seen.state, "HEALTH_STATE_") : "UNKNOWN";
        return { text: state + (seen && seen.reason ? " (" + seen.reason + ")" : ""), cls: state,
          data: { node: id, health: state } };
      }));
    }));
  }

  // per "node listener": the last replicated counters and the rates computed from the two last ones
  var samples = {};

  function rates(node, counters) {
    var key = node.nodeId + " " + counters.listener;
    var now = { at: Number(node.lastSeenUnixMs || 0), conns: Number(counters.connectionsTotal || 0),
      reqs: Number(counters.requestsTotal || 0) };
    var before = samples[key];
    if (!before) {
      samples[key] = { last: now, connRate: null, reqRate: null };
    } else if (now.at > before.last.at) {
      var seconds = (now.at - before.last.at) / 1000;
      samples[key] = { last: now, connRate: Math.max(0, (now.conns - before.last.conns) / seconds),
        reqRate: Math.max(0, (now.reqs - before.last.reqs) / seconds) };
    }
    return samples[key];
  }

  function listeners(lbs, dataPlanes) {
    table("listeners", ["tcp-lb", "address", "protocol", "upstream", "open connections", "connections/s", "requests/s",
      "per data plane (open, conn/s, req/s)"], lbs.map(function (l) {
      var open = 0, connRate = null, reqRate = null, per = [];
      dataPlanes.forEach(function (n) {
        (n.listeners || []).filter(function (c) { return c.listener === l.name; }).forEach(function (c) {
          var r = rates(n, c);
          open += Number(c.openConnections || 0);
          if (r.connRate !== null) { connRate = (connRate || 0) + r.connRate; reqRate = (reqRate || 0) + r.reqRate; }
          per.push(n.nodeId + ": " + Number(c.openConnections || 0) + ", "
            + (r.connRate === null ? "-" : r.connRate.toFixed(1)) + ", " + (r.reqRate === null ? "-" : r.reqRate.toFixed(1)));
        });
      });
      var shown = function (v) { return v === null ? "measuring" : v.toFixed(1); };
      return [l.name, l.address, l.protocol, l.upstream, { text: open, cls: "num", data: { open: open } },
        { text: shown(connRate), cls: "num" }, { text: shown(reqRate), cls: "num" }, per.join("; ")];
    }));
  }

  function changes(response) {
    table("history", ["version", "when", "who", "change"], (response.entries || []).map(function (e) {
      return [{ text: e.version, cls: "num" }, ago(e.committedUnixMs), e.principal || "",
        e.commandText || e.comment || ""];
    }));
  }

  function refresh() {
    Promise.all([api("/api/v1/status"), api("/api/v1/nodes"), api("/api/v1/health"),
      api("/api/v1/module/tcp-lb"), api("/api/v1/history?limit=10")]).then(function (all) {
      members(all[0]);
      var dataPlanes = nodes(all[1]);
      health(all[2], dataPlanes);
      listeners(all[3], dataPlanes);
      changes(all[4]);
      $("problem").hidden = true;
      $("page").hidden = false;
      $("updated").textContent = "updated " + new Date().toLocaleTimeString();
      setTimeout(refresh, REFRESH_MS);
    }).catch(function (e) {
      $("problem").textContent = "cannot read the REST API: " + e.message;
      $("problem").hidden = false;
      if (e.status === 401 || e.status === 403) {
        sessionStorage.removeItem(KEY);
        $("login").hidden = false;
        return;
      }
      setTimeout(refresh, REFRESH_MS);
    });
  }

  $("login").addEventListener("submit", function (ev) {
    ev.preventDefault();
    sessionStorage.setItem(KEY, $("token").value.trim());
    $("login").hidden = true;
    refresh();
  });
  if (sessionStorage.getItem(KEY)) { refresh(); } else { $("login").hidden = false; $("summary").textContent = ""; }
})();
