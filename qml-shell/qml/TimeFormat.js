// SPDX-License-Identifier: LGPL-2.1-or-later
// Wall-clock milliseconds as text, in local time: dates in the locale's words or order, and the
// zone's abbreviation where a time stands alone, so that no reader takes it for another zone.
.pragma library

// Locale.ShortFormat: a library script sees no QML type names.
var shortFormat = 1

function pad(n, width) {
    var s = String(Math.floor(n))
    while (s.length < width) s = "0" + s
    return s
}

// "13:05:07.120"
function clock(ms) {
    if (!ms) return ""
    var d = new Date(ms)
    return pad(d.getHours(), 2) + ":" + pad(d.getMinutes(), 2) + ":" + pad(d.getSeconds(), 2)
            + "." + pad(d.getMilliseconds(), 3)
}

// "14:02"
function hoursMinutes(ms) {
    if (!ms) return ""
    var d = new Date(ms)
    return pad(d.getHours(), 2) + ":" + pad(d.getMinutes(), 2)
}

// "4 Dec 2026 14:05:03 EET" (the date as the locale writes it short: "04/12/2026" in en_GB).
// Qt.formatDateTime's zone, not toLocaleTimeString's: the latter says EET in summer too.
function dateTime(ms) {
    if (!ms) return ""
    var d = new Date(ms)
    return d.toLocaleDateString(Qt.locale(), shortFormat) + " " + Qt.formatDateTime(d, "HH:mm:ss t")
}

// "Fri 4 Dec" in the locale's names: a day no reader takes for another, unlike "12-04".
function day(d) {
    return d.toLocaleDateString(Qt.locale(), "ddd d MMM")
}

// A tick label as fine as the tick step needs: seconds, minutes, or the day.
function tick(ms, stepMs) {
    var d = new Date(ms)
    if (stepMs >= 86400000)
        return day(d)
    if (d.getHours() === 0 && d.getMinutes() === 0 && d.getSeconds() === 0 && stepMs >= 3600000)
        return day(d)
    var hm = pad(d.getHours(), 2) + ":" + pad(d.getMinutes(), 2)
    return stepMs < 60000 ? hm + ":" + pad(d.getSeconds(), 2) : hm
}

// "Fri 4 Dec 14:05:03": the time under the timeline's pointer, its day in words.
function dayClock(ms) {
    if (!ms) return ""
    var d = new Date(ms)
    return day(d) + " " + pad(d.getHours(), 2) + ":" + pad(d.getMinutes(), 2) + ":"
            + pad(d.getSeconds(), 2)
}

// "-02:13", "-1:02:13", "-3 d 01:02:13": how far `ms` is behind `now`.
function behind(now, ms) {
    var s = Math.max(0, Math.floor((now - ms) / 1000))
    var days = Math.floor(s / 86400)
    var h = Math.floor(s / 3600) % 24
    var rest = pad(Math.floor(s / 60) % 60, 2) + ":" + pad(s % 60, 2)
    if (days > 0) return "-" + days + " d " + pad(h, 2) + ":" + rest
    return h > 0 ? "-" + h + ":" + rest : "-" + rest
}
