#pragma once

#include "TestSupport.h"

#include <QApplication>

// main() for widget tests: offscreen by default, with a QApplication.
#define VIBEML_TEST_MAIN_GUI(TestObject)                                                                           \
    int main(int argc, char *argv[])                                                                               \
    {                                                                                                              \
        vibeml::test::prepareTestProcess();                                                                        \
        QApplication app(argc, argv);                                                                              \
        app.setAttribute(Qt::AA_Use96Dpi, true);                                                                   \
        TestObject testObject;                                                                                     \
        QTEST_SET_MAIN_SOURCE_PATH                                                                                 \
        return QTest::qExec(&testObject, argc, argv);                                                              \
    }
