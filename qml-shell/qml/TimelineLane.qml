// SPDX-License-Identifier: LGPL-2.1-or-later
// One camera's lane: its name (the whole of it on hover when cut), and a bar for each recorded
// range in view (at least a pixel wide).
import QtQuick
import QtQuick.Controls

Item {
    id: lane

    property string laneName
    property var laneRanges: []
    property int labelWidth: 110
    property real viewStart: 0
    property real span: 1
    property real trackWidth: 1

    Text {
        id: label
        width: lane.labelWidth - 8
        x: 4
        anchors.verticalCenter: parent.verticalCenter
        elide: Text.ElideRight
        color: "#d0d0d0"
        font.pixelSize: 11
        text: lane.laneName
        HoverHandler { id: labelHover }
        ToolTip.visible: labelHover.hovered && label.truncated
        ToolTip.text: lane.laneName
    }

    Rectangle {
        x: lane.labelWidth
        width: lane.trackWidth
        height: parent.height - 2
        y: 1
        color: "#202020"
        clip: true

        Repeater {
            model: lane.laneRanges
            delegate: Rectangle {
                required property var modelData
                readonly property real x0: (modelData.start - lane.viewStart) / lane.span * lane.trackWidth
                readonly property real x1: (modelData.end - lane.viewStart) / lane.span * lane.trackWidth
                visible: x1 >= 0 && x0 <= lane.trackWidth
                x: Math.max(-1, x0)
                width: Math.max(1, Math.min(lane.trackWidth + 1, x1) - x)
                height: parent.height
                color: "#3c8c50"
            }
        }
    }
}
