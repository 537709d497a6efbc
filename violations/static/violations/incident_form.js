// Dependent selects of the incident form: district -> village -> TPS.
// The whole regency's villages and TPS come in one small answer, fetched once and kept on the phone by the
// service worker, so the pickers fill locally, offline too, for any district. The server still validates
// that each lies inside the one above it.
(function () {
  "use strict";
  var form = document.getElementById("incident-form");
  if (!form) { return; }
  var district = form.querySelector("select[name=district]");
  var village = form.querySelector("select[name=village]");
  var tps = form.querySelector("select[name=tps]");
  var places = null;

  var loaded = fetch(form.dataset.regencyPlacesUrl, { headers: { "Accept": "application/json" }, credentials: "same-origin" })
    .then(function (response) { return response.ok ? response.json() : Promise.reject(response.status); })
    .then(function (data) { places = data.districts; }, function () { places = null; });

  function fill(select, emptyLabel, items) {
    var keep = select.value;
    select.replaceChildren(new Option(emptyLabel, ""));
    items.forEach(function (item) { select.add(new Option(item.label, item.value)); });
    select.value = items.some(function (item) { return String(item.value) === keep; }) ? keep : "";
  }

  function villagesOf(code) {
    return (places && places[code]) || [];
  }

  function tpsOf(code) {
    var found = villagesOf(code.split(".").slice(0, 3).join("."))
      .filter(function (row) { return row[0] === code; })[0];
    return found ? found[2] : [];
  }

  function tpsLabel(number) {
    return form.dataset.tpsLabel.replace("{number}", String(number).padStart(3, "0"));
  }

  function fillVillages() {
    fill(village, form.dataset.emptyVillage, villagesOf(district.value).map(function (row) {
      return { value: row[0], label: row[1] + " (" + row[0] + ")" };
    }));
  }

  function fillTps() {
    fill(tps, form.dataset.emptyTps, village.value ? tpsOf(village.value).map(function (row) {
      return { value: row[0], label: tpsLabel(row[1]) };
    }) : []);
  }

  district.addEventListener("change", function () {
    loaded.then(function () { fillVillages(); fillTps(); });
  });
  village.addEventListener("change", function () { loaded.then(fillTps); });
})();
