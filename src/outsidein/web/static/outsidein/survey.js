// Progressive enhancement of the survey: every answer is saved as it is chosen (so a reload
// or a lost connection keeps it), and a form is sent only once however often it is clicked.
// Without JavaScript the page still works: answers are saved when the page is sent.
(function () {
  "use strict";
  var form = document.getElementById("survey-form");
  if (!form) { return; }
  var status = document.getElementById("save-state");
  var answered = document.getElementById("answered");
  var errors = document.getElementById("errors");
  if (errors) { errors.focus(); }

  function token() {
    var field = form.querySelector("input[name=csrfmiddlewaretoken]");
    return field ? field.value : "";
  }

  var pending = 0;  // "Saved" shows only when every answer chosen so far has been stored

  form.addEventListener("change", function (event) {
    var input = event.target;
    if (!input || input.type !== "radio") { return; }
    pending += 1;
    status.textContent = "";
    var body = new FormData();
    body.append("csrfmiddlewaretoken", token());
    body.append(input.name, input.value);
    fetch(form.dataset.saveUrl, {
      method: "POST", body: body, credentials: "same-origin",
      headers: { "X-CSRFToken": token(), "Accept": "application/json" }
    }).then(function (response) {
      if (response.status === 410) { return { closed: true }; }  // the survey was closed
      if (!response.ok) { throw new Error(String(response.status)); }
      return response.json();
    }).then(function (data) {
      pending -= 1;
      if (data.submitted || data.closed) { window.location.reload(); return; }
      if (pending === 0) { status.textContent = form.dataset.saved; }
      if (answered && form.dataset.answeredTemplate) {
        answered.textContent = form.dataset.answeredTemplate
          .replace("{answered}", data.answered).replace("{total}", data.total);
      }
    }).catch(function () {
      pending = Math.max(0, pending - 1);
      status.textContent = form.dataset.saveFailed;
    });
  });

  form.addEventListener("submit", function (event) {
    if (form.dataset.sending === "1") { event.preventDefault(); return; }
    form.dataset.sending = "1";
    window.setTimeout(function () { form.dataset.sending = ""; }, 8000);
  });
}());
