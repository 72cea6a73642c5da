// SPDX-License-Identifier: LGPL-2.1-or-later
// The go-to field's text as a moment in local time: "2026-12-06 14:05:30", "2026-12-06 14:05",
// "2026-12-06" (its midnight), "14:05:30" or "14:05" (the last such time not after now: at 00:10
// "23:50" is yesterday's). Returns {ms} or {error} in words an operator can act on.
.pragma library

var pattern = /^\s*(?:(\d{4})-(\d{1,2})-(\d{1,2}))?(?:(?:^|[ T]+)(\d{1,2}):(\d{2})(?::(\d{2}))?)?\s*$/

var example = "2026-12-06 14:05:30"

function parse(text, now) {
    var m = pattern.exec(text)
    if (!m || (m[1] === undefined && m[4] === undefined))
        return { error: qsTr("Not a time: write it as %1, or 14:05").arg(example) }
    var h = m[4] === undefined ? 0 : Number(m[4])
    var min = m[5] === undefined ? 0 : Number(m[5])
    var s = m[6] === undefined ? 0 : Number(m[6])
    if (h > 23 || min > 59 || s > 59)
        return { error: qsTr("No such time of day: %1").arg(text.trim()) }
    var today = new Date(now)
    var y = m[1] === undefined ? today.getFullYear() : Number(m[1])
    var mo = m[1] === undefined ? today.getMonth() : Number(m[2]) - 1
    var d = m[1] === undefined ? today.getDate() : Number(m[3])
    var t = new Date(y, mo, d, h, min, s)
    // Date rolls 30 February over into March: a day the month has not is refused instead.
    if (t.getFullYear() !== y || t.getMonth() !== mo || t.getDate() !== d)
        return { error: qsTr("No such day: %1").arg(text.trim()) }
    if (m[1] === undefined && t.getTime() > now)
        t = new Date(y, mo, d - 1, h, min, s)
    if (t.getTime() > now)
        return { error: qsTr("%1 is still to come: nothing is recorded yet").arg(text.trim()) }
    return { ms: t.getTime() }
}

// The field's text for mstime `ms`, in the form parse() reads.
function format(ms) {
    var d = new Date(ms)
    function pad(n) { return n < 10 ? "0" + n : String(n) }
    return d.getFullYear() + "-" + pad(d.getMonth() + 1) + "-" + pad(d.getDate()) + " "
            + pad(d.getHours()) + ":" + pad(d.getMinutes()) + ":" + pad(d.getSeconds())
}
