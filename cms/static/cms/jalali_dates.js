// The Jalali date picker (@majidh1/jalalidatepicker) on every date input of the Persian admin: cms.jalali
// marks them with data-jdp (data-jdp-only-date for dates without a time) and reads back what they post.
//
// - "Today" is the Jalali date on Tehran's clocks, from jalaali-js: the picker's own `jalaliToday()` takes
//   the browser's time zone (an editor abroad, or a laptop left on UTC, would get the wrong day).
// - The picker reads and writes ASCII digits; the input shows Persian ones whenever it is not being edited.
// - A picked value fires `change`, so Wagtail's unsaved-changes and autosave see it.

const PERSIAN = "۰۱۲۳۴۵۶۷۸۹";
const SELECTOR = "input[data-jdp]";

export const toPersianDigits = (text) => String(text).replace(/[0-9]/g, (digit) => PERSIAN[digit]);

export const toAsciiDigits = (text) =>
  String(text)
    .replace(/[۰-۹]/g, (digit) => String(PERSIAN.indexOf(digit)))
    .replace(/[٠-٩]/g, (digit) => String(digit.charCodeAt(0) - 0x0660));

/** The Jalali {year, month, day} of `now` on the wall clocks of Tehran. */
export function tehranToday(toJalaali, now = new Date()) {
  const parts = new Intl.DateTimeFormat("en-US", {
    timeZone: "Asia/Tehran",
    year: "numeric",
    month: "numeric",
    day: "numeric",
  }).formatToParts(now);
  const part = (type) => Number(parts.find((item) => item.type === type).value);
  const { jy, jm, jd } = toJalaali(part("year"), part("month"), part("day"));
  return { year: jy, month: jm, day: jd };
}

const isPickerInput = (element) => element instanceof HTMLInputElement && element.matches(SELECTOR);

export function start({ toJalaali, picker = window.jalaliDatepicker }) {
  picker.startWatch({
    selector: SELECTOR,
    persianDigits: true,
    date: true,
    time: true,
    hasSecond: false,
    today: tehranToday(toJalaali),
    minDate: { year: 1300, month: 1, day: 1 },
    maxDate: { year: 1500, month: 12, day: 29 },
    zIndex: 10000, // above Wagtail's dialogs (the schedule dialog)
    showCloseBtn: true,
  });
  // Capture phase: runs before the picker's own focusin handler reads the value.
  document.addEventListener(
    "focusin",
    (event) => {
      if (isPickerInput(event.target)) event.target.value = toAsciiDigits(event.target.value);
    },
    true,
  );
  document.addEventListener(
    "focusout",
    (event) => {
      if (isPickerInput(event.target)) event.target.value = toPersianDigits(event.target.value);
    },
    true,
  );
  document.addEventListener("jdp:change", (event) => {
    const input = event.target;
    if (!isPickerInput(input)) return;
    if (document.activeElement !== input) input.value = toPersianDigits(input.value);
    input.dispatchEvent(new Event("change", { bubbles: true }));
  });
}
