/* The sign-off dialog (cms/workflow/approval_modal.html) sends its form with the uploaded written
   approval. Wagtail's dialog posts forms serialized, without files, so this script answers the dialog
   form's submit first (capture phase on the document, before Wagtail's own handler) and posts it as
   multipart:
   - form errors: the dialog's body is replaced by the form with its errors;
   - done from the dashboard or the page's dialog: the page Wagtail names is opened (with its message);
   - "approve while editing": the editor's form is submitted with the action and its data, as Wagtail's
     own workflow-action script does. */
(function () {
  "use strict";

  function hidden(form, name, value) {
    var input = document.createElement("input");
    input.type = "hidden";
    input.name = name;
    input.value = value;
    form.appendChild(input);
  }

  document.addEventListener(
    "submit",
    function (event) {
      var form = event.target;
      if (!(form instanceof HTMLFormElement) || !form.hasAttribute("data-revayat-approval")) { return; }
      event.preventDefault();
      event.stopImmediatePropagation();
      var next = form.querySelector("input[name=next]");
      var container = form.closest(".revayat-approval").parentElement;
      fetch(form.action, {
        method: "POST",
        body: new FormData(form),
        credentials: "same-origin",
        headers: { "X-Requested-With": "XMLHttpRequest" },
      })
        .then(function (response) { return response.json(); })
        .then(function (data) {
          if (data.html) {
            container.innerHTML = data.html;
            var again = container.querySelector("form[data-revayat-approval]");
            if (again && next) { hidden(again, "next", next.value); }
            return;
          }
          if (data.cleaned_data) {
            var edit = document.querySelector("[data-edit-form]");
            hidden(edit, "action-workflow-action", "true");
            hidden(edit, "workflow-action-name", "approve");
            hidden(edit, "workflow-action-extra-data", JSON.stringify(data.cleaned_data));
            edit.submit();
            return;
          }
          window.location.href = data.redirect || window.location.href;
        });
    },
    true
  );
})();
