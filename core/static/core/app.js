// Che Chở's few behaviours in the browser. The pages work without them; they only save work.
"use strict";

// A refused form: bring the first error into view and put the cursor in its field.
function showFirstError() {
  // The first field's own error, not the banner over the form: on a long form (the intake is
  // several screens) the banner alone says something is wrong without showing where.
  const fieldError = Array.from(document.querySelectorAll(".errorlist, .field-error")).find(
    (element) => !element.closest(".form-errors"),
  );
  const error = fieldError || document.querySelector(".form-errors");
  if (!error) return;
  error.scrollIntoView({ block: "center" });
  const group = error.closest("div, td, fieldset") || error.parentElement;
  const field = group && group.querySelector("input:not([type=hidden]), select, textarea");
  if (field) field.focus({ preventScroll: true });
}

// Decisions with legal weight ask before they are sent: <form data-confirm="…">.
function confirmDecisions() {
  document.addEventListener("submit", (event) => {
    const question = event.target.dataset && event.target.dataset.confirm;
    if (question && !window.confirm(question)) event.preventDefault();
  });
}

// A form that changes records is sent once: a second click while the page waits (a double
// click, an impatient one) would record the note, the finding or the step twice. Registered
// after confirmDecisions, so that a decision not confirmed is not counted as sent. A page the
// browser shows again from its history may be sent again.
function sendOnce() {
  document.addEventListener("submit", (event) => {
    const form = event.target;
    if (event.defaultPrevented || form.method !== "post") return;
    if (form.dataset.sent) {
      event.preventDefault();
      return;
    }
    form.dataset.sent = "true";
  });
  window.addEventListener("pageshow", () => {
    document.querySelectorAll("form[data-sent]").forEach((form) => delete form.dataset.sent);
  });
}

// "Add a measure": a copy of the formset's empty form, numbered after the others.
function growFormsets() {
  document.querySelectorAll("button[data-formset]").forEach((button) => {
    const prefix = button.dataset.formset;
    const total = document.getElementById(`id_${prefix}-TOTAL_FORMS`);
    const template = document.getElementById("measure-template");
    if (!total || !template) return;
    button.hidden = false;
    button.addEventListener("click", () => {
      const index = Number(total.value);
      const html = template.innerHTML.replaceAll("__prefix__", String(index));
      button.parentElement.insertAdjacentHTML("beforebegin", html);
      total.value = String(index + 1);
      const added = button.parentElement.previousElementSibling;
      const first = added && added.querySelector("select, textarea, input");
      if (first) first.focus();
    });
  });
}

document.addEventListener("DOMContentLoaded", () => {
  showFirstError();
  confirmDecisions();
  sendOnce();
  growFormsets();
});
