// Dependent selects of the incident form: district -> village -> TPS.
// The server lists the children of the chosen parent (scoped to the viewer)
// and still validates that each lies inside the one above it.
(function () {
  "use strict";
  var form = document.getElementById("incident-form");
  if (!form) { return; }
  var url = form.dataset.placesUrl;
  var district = form.querySelector("select[name=district]");
  var village = form.querySelector("select[name=village]");
  var tps = form.querySelector("select[name=tps]");

  function fill(select, emptyLabel, items) {
    select.replaceChildren(new Option(emptyLabel, ""));
    items.forEach(function (item) { select.add(new Option(item.label, item.value)); });
    select.disabled = false;
  }

  function load(select, emptyLabel, param, value, toItems) {
    fill(select, emptyLabel, []);
    if (!value) { return Promise.resolve(); }
    select.disabled = true;
    return fetch(url + "?" + param + "=" + encodeURIComponent(value), {
      headers: { "Accept": "application/json" }, credentials: "same-origin"
    })
      .then(function (response) { return response.ok ? response.json() : Promise.reject(response.status); })
      .then(function (data) { fill(select, emptyLabel, toItems(data)); })
      .catch(function () { select.disabled = false; });
  }

  district.addEventListener("change", function () {
    fill(tps, form.dataset.emptyTps, []);
    load(village, form.dataset.emptyVillage, "district", district.value, function (data) {
      return data.villages.map(function (v) { return { value: v.code, label: v.name + " (" + v.code + ")" }; });
    });
  });

  village.addEventListener("change", function () {
    load(tps, form.dataset.emptyTps, "village", village.value, function (data) {
      return data.tps.map(function (t) { return { value: t.id, label: t.label }; });
    });
  });
})();
