// SPDX-License-Identifier: LGPL-2.1-or-later
// A month of days, those with recordings (any camera, local time) marked green: a click on one
// goes to its first recording. The arrows change the month.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import ValkkaKiosk

Popup {
    id: popup

    property TimelineModel timelineModel
    property int year: new Date().getFullYear()
    property int month: new Date().getMonth()  // 0..11, as Date and MonthGrid count
    // The recorded days of the month shown (1..31), read when it opens or the month changes.
    property var recorded: []

    signal dayPicked(real first)

    function refresh() {
        recorded = days.days(year, month + 1)
    }
    function shiftMonth(delta) {
        var d = new Date(year, month + delta, 1)
        year = d.getFullYear()
        month = d.getMonth()
        refresh()
    }

    // A day of the month shown: to its first recording, when it has one. The tests come here.
    function pickDay(day) {
        var first = days.firstOn(year, month + 1, day)
        if (first < 0)
            return false
        close()
        dayPicked(first)
        return true
    }

    onAboutToShow: refresh()
    padding: 10
    background: Rectangle {
        color: "#202020"
        border.color: "#707070"
        radius: 6
    }

    RecordedDays {
        id: days
        model: popup.timelineModel
    }

    ColumnLayout {
        spacing: 6

        RowLayout {
            Layout.fillWidth: true
            TransportButton {
                text: "<"
                toolTipText: qsTr("The month before")
                implicitWidth: 30
                onClicked: popup.shiftMonth(-1)
            }
            Text {
                objectName: "calendarMonth"
                Layout.fillWidth: true
                horizontalAlignment: Text.AlignHCenter
                color: "white"
                font.pixelSize: 14
                font.bold: true
                text: new Date(popup.year, popup.month, 1).toLocaleDateString(Qt.locale(),
                                                                              "MMMM yyyy")
            }
            TransportButton {
                text: ">"
                toolTipText: qsTr("The month after")
                implicitWidth: 30
                onClicked: popup.shiftMonth(1)
            }
        }
        DayOfWeekRow {
            Layout.fillWidth: true
            delegate: Text {
                required property string shortName
                horizontalAlignment: Text.AlignHCenter
                color: "#a0a0a0"
                font.pixelSize: 12
                text: shortName
            }
        }
        MonthGrid {
            id: grid
            year: popup.year
            month: popup.month
            spacing: 4
            // MonthGrid's own implicit size leaves its sixth row out of the popup.
            Layout.preferredWidth: 7 * 34 + 6 * spacing
            Layout.preferredHeight: 6 * 28 + 5 * spacing
            delegate: Rectangle {
                required property var model
                readonly property bool inMonth: model.month === popup.month
                readonly property bool hasRecording: inMonth
                                                     && popup.recorded.indexOf(model.day) >= 0
                objectName: hasRecording ? "recordedDay" : "calendarDay"
                readonly property int dayNumber: model.day
                implicitWidth: 34
                implicitHeight: 28
                radius: 4
                color: hasRecording ? "#2f7a45" : "transparent"
                border.color: model.today ? "#f0c020" : "transparent"
                Text {
                    anchors.centerIn: parent
                    color: parent.inMonth ? "white" : "#505050"
                    font.pixelSize: 13
                    text: parent.model.day
                }
                MouseArea {
                    anchors.fill: parent
                    enabled: parent.hasRecording
                    onClicked: popup.pickDay(parent.model.day)
                }
            }
        }
        Text {
            color: "#a0a0a0"
            font.pixelSize: 11
            text: qsTr("Green: recorded that day")
        }
    }
}
