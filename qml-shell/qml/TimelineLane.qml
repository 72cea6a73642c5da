// SPDX-License-Identifier: LGPL-2.1-or-later
// One camera's lane: its name (the whole of it on hover when cut), and its recorded ranges in
// view as bars (RangeStrip: at least a pixel wide, those that meet on screen as one).
import QtQuick
import QtQuick.Controls
import ValkkaKiosk

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

        RangeStrip {
            objectName: "rangeStrip"
            anchors.fill: parent
            ranges: lane.laneRanges
            viewStart: lane.viewStart
            span: lane.span
        }
    }
}
