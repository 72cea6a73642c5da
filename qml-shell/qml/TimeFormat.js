// SPDX-License-Identifier: LGPL-2.1-or-later
// Wall-clock milliseconds as text, in local time.
.pragma library

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

// "2024-05-01 13:05:07"
function dateTime(ms) {
    if (!ms) return ""
    var d = new Date(ms)
    return d.getFullYear() + "-" + pad(d.getMonth() + 1, 2) + "-" + pad(d.getDate(), 2) + " "
            + pad(d.getHours(), 2) + ":" + pad(d.getMinutes(), 2) + ":" + pad(d.getSeconds(), 2)
}

// A tick label as fine as the tick step needs: seconds, minutes, or the day.
function tick(ms, stepMs) {
    var d = new Date(ms)
    if (stepMs >= 86400000)
        return pad(d.getMonth() + 1, 2) + "-" + pad(d.getDate(), 2)
    if (d.getHours() === 0 && d.getMinutes() === 0 && d.getSeconds() === 0 && stepMs >= 3600000)
        return pad(d.getMonth() + 1, 2) + "-" + pad(d.getDate(), 2)
    var hm = pad(d.getHours(), 2) + ":" + pad(d.getMinutes(), 2)
    return stepMs < 60000 ? hm + ":" + pad(d.getSeconds(), 2) : hm
}
