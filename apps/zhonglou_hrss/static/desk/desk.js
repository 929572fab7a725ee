/* The desk's small fixes to django-unfold's pages (loaded on every desk page). */
(function () {
    "use strict";

    // On a phone a list row is a card whose cells are labelled from data-label.
    // unfold labels the first cell "选择此记录" (the selection checkbox's name)
    // even when a list has no checkbox column (a user with no bulk actions):
    // give that cell its own column's heading.
    function labelFirstColumn() {
        document.querySelectorAll("#result_list").forEach(function (table) {
            var heading = table.querySelector("thead th");
            if (!heading || heading.classList.contains("action-checkbox-column")) {
                return;
            }
            var text = heading.textContent.trim();
            table.querySelectorAll("tbody tr").forEach(function (row) {
                var cell = row.querySelector("td, th");
                if (cell && !cell.classList.contains("action-checkbox") && text) {
                    cell.setAttribute("data-label", text);
                }
            });
        });
    }

    if (document.readyState === "loading") {
        document.addEventListener("DOMContentLoaded", labelFirstColumn);
    } else {
        labelFirstColumn();
    }
})();
