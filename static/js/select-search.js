// A long <select> marked data-search gets a search box above it that hides the options not
// matching what is typed (accents and case ignored). Without JavaScript the select still works.
(function () {
  "use strict";
  function plain(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/đ/g, "d")
      .replace(/Đ/g, "D").toLowerCase();
  }
  document.querySelectorAll("select[data-search]").forEach(function (select) {
    var box = document.createElement("input");
    box.type = "search";
    box.className = "form-control form-control-sm mb-1";
    box.placeholder = select.dataset.search;
    box.setAttribute("aria-label", select.dataset.search);
    box.setAttribute("aria-controls", select.id);
    select.parentNode.insertBefore(box, select);
    box.addEventListener("input", function () {
      var wanted = plain(box.value.trim());
      var first = null;
      Array.prototype.forEach.call(select.options, function (option) {
        var shown = !option.value || !wanted || plain(option.text).indexOf(wanted) !== -1;
        option.hidden = !shown;
        if (shown && option.value && first === null) { first = option; }
      });
      if (!select.multiple && wanted && first !== null && select.selectedOptions[0] && select.selectedOptions[0].hidden) {
        select.value = first.value;
      }
    });
  });
})();
