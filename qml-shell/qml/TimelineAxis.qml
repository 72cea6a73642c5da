// SPDX-License-Identifier: LGPL-2.1-or-later
// Tick marks and labels for [viewStart, viewStart + span], with a step fitting the width.
import QtQuick
import "TimeFormat.js" as TimeFormat

Item {
    id: axis

    property real viewStart: 0
    property real span: 1

    // Steps from a second to a week; the first giving ticks at least 90 px apart.
    readonly property var steps: [1e3, 2e3, 5e3, 10e3, 15e3, 30e3, 60e3, 120e3, 300e3, 600e3,
        900e3, 1800e3, 3600e3, 7200e3, 10800e3, 21600e3, 43200e3, 86400e3, 172800e3, 604800e3]
    function stepFor(span) {
        for (var i = 0; i < steps.length; i++)
            if (steps[i] / span * width >= 90)
                return steps[i]
        return steps[steps.length - 1]
    }
    readonly property real step: stepFor(span)
    // Ticks fall on local-time multiples of the step (midnight for days).
    readonly property real zoneOffset: new Date(viewStart).getTimezoneOffset() * 60000
    readonly property real firstTick: Math.ceil((viewStart - zoneOffset) / step) * step + zoneOffset

    height: 20
    clip: true

    Repeater {
        // Counted with the step of the span as it is now: `step` may not have followed a zoom yet,
        // and a step of seconds over days would be a million ticks (the window froze).
        model: {
            var step = axis.stepFor(axis.span)
            var first = Math.ceil((axis.viewStart - axis.zoneOffset) / step) * step + axis.zoneOffset
            return Math.max(0, Math.floor((axis.viewStart + axis.span - first) / step) + 1)
        }
        delegate: Item {
            required property int index
            readonly property real time: axis.firstTick + index * axis.step
            x: (time - axis.viewStart) / axis.span * axis.width
            height: axis.height

            Rectangle {
                width: 1
                height: 6
                anchors.bottom: parent.bottom
                color: "#808080"
            }
            Text {
                objectName: "axisTick"
                x: 3
                y: 1
                color: "#b0b0b0"
                font.pixelSize: 11
                text: TimeFormat.tick(parent.time, axis.step)
            }
        }
    }
}
