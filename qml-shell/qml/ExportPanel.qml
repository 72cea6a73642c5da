// SPDX-License-Identifier: LGPL-2.1-or-later
// Export from the wall: the range marked (I, O, or Shift+drag on the timeline), the cameras to
// export (the ones on the wall by default), the folder; progress and the result while and after
// `valkka export` runs, and its command line to copy.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import "TimeFormat.js" as TimeFormat
import ValkkaKiosk

Rectangle {
    id: panel

    objectName: "exportPanel"
    property WallExport exporter
    property CameraModel cameras
    // Camera indices on the wall now: what is chosen when the panel opens.
    property var visibleCameras: []
    property var chosen: []

    function open() {
        chosen = visibleCameras.slice()
        visible = true
    }
    // The marks and the folder as arguments: the text follows them as they change.
    function commandFor(cameras, markIn, markOut, folder) {
        return exporter.commandLine(cameras)
    }
    function toggle(index) {
        var next = chosen.slice()
        var at = next.indexOf(index)
        if (at >= 0)
            next.splice(at, 1)
        else
            next.push(index)
        chosen = next
    }

    visible: false
    width: 560
    height: column.implicitHeight + 24
    radius: 6
    color: "#e0202020"
    border.color: "#606060"

    ColumnLayout {
        id: column
        anchors.fill: parent
        anchors.margins: 12
        spacing: 8

        Text {
            color: "white"
            font.pixelSize: 16
            font.bold: true
            text: qsTr("Export")
        }
        Text {
            color: "#e0e0e0"
            font.pixelSize: 13
            text: panel.exporter && panel.exporter.markOut > panel.exporter.markIn
                  && panel.exporter.markIn > 0
                  ? qsTr("From %1 to %2").arg(TimeFormat.dateTime(panel.exporter.markIn))
                                         .arg(TimeFormat.dateTime(panel.exporter.markOut))
                  : qsTr("Mark the range: I at its start, O at its end, or Shift+drag the lanes")
        }
        Flow {
            Layout.fillWidth: true
            spacing: 6
            Repeater {
                model: panel.cameras
                delegate: CheckBox {
                    required property int index
                    required property var feed
                    text: feed ? feed.name : ""
                    focusPolicy: Qt.NoFocus
                    checked: panel.chosen.indexOf(index) >= 0
                    onClicked: panel.toggle(index)
                }
            }
        }
        RowLayout {
            Layout.fillWidth: true
            Text { color: "#e0e0e0"; text: qsTr("Folder") }
            TextField {
                Layout.fillWidth: true
                text: panel.exporter ? panel.exporter.folder : ""
                onEditingFinished: panel.exporter.folder = text
            }
        }
        RowLayout {
            Button {
                text: panel.exporter && panel.exporter.running ? qsTr("Cancel") : qsTr("Export")
                focusPolicy: Qt.NoFocus
                onClicked: panel.exporter.running ? panel.exporter.cancel()
                                                  : panel.exporter.start(panel.chosen)
            }
            Button {
                text: qsTr("Close")
                focusPolicy: Qt.NoFocus
                onClicked: panel.visible = false
            }
            ProgressBar {
                Layout.fillWidth: true
                from: 0
                to: 100
                value: panel.exporter ? panel.exporter.progress : 0
            }
        }
        Text {
            objectName: "exportResult"
            Layout.fillWidth: true
            wrapMode: Text.Wrap
            color: "#f0c020"
            text: panel.exporter ? panel.exporter.result : ""
        }
        Text { color: "#a0a0a0"; text: qsTr("The same on the command line:") }
        TextArea {
            objectName: "exportCommand"
            Layout.fillWidth: true
            readOnly: true
            selectByMouse: true
            wrapMode: TextEdit.WrapAnywhere
            font.family: "monospace"
            font.pixelSize: 11
            text: panel.exporter ? panel.commandFor(panel.chosen, panel.exporter.markIn,
                                                    panel.exporter.markOut, panel.exporter.folder)
                                 : ""
        }
    }
}
