-- CreateTable
CREATE TABLE "Teacher" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "name" TEXT NOT NULL,
    "mentorId" INTEGER,
    CONSTRAINT "Teacher_mentorId_fkey" FOREIGN KEY ("mentorId") REFERENCES "Teacher" ("id") ON DELETE SET NULL ON UPDATE NO ACTION
);

-- CreateTable
CREATE TABLE "Instrument" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "name" TEXT NOT NULL
);

-- CreateTable
CREATE TABLE "Student" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL
);

-- CreateTable
CREATE TABLE "Course" (
    "code" TEXT NOT NULL PRIMARY KEY,
    "term" INTEGER NOT NULL,
    "title" TEXT NOT NULL,
    "leadId" INTEGER NOT NULL,
    "assistantId" INTEGER,
    CONSTRAINT "Course_leadId_fkey" FOREIGN KEY ("leadId") REFERENCES "Teacher" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "Course_assistantId_fkey" FOREIGN KEY ("assistantId") REFERENCES "Teacher" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Enrolment" (
    "studentId" TEXT NOT NULL,
    "courseId" TEXT NOT NULL,
    "grade" INTEGER,

    PRIMARY KEY ("studentId", "courseId"),
    CONSTRAINT "Enrolment_studentId_fkey" FOREIGN KEY ("studentId") REFERENCES "Student" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Enrolment_courseId_fkey" FOREIGN KEY ("courseId") REFERENCES "Course" ("code") ON DELETE NO ACTION ON UPDATE NO ACTION
);

-- CreateTable
CREATE TABLE "Lesson" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "courseCode" TEXT NOT NULL DEFAULT 'GEN-000',
    "courseTerm" INTEGER NOT NULL DEFAULT 0,
    "heldAt" DATETIME NOT NULL,
    CONSTRAINT "Lesson_courseCode_courseTerm_fkey" FOREIGN KEY ("courseCode", "courseTerm") REFERENCES "Course" ("code", "term") ON DELETE SET DEFAULT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "_InstrumentToTeacher" (
    "A" INTEGER NOT NULL,
    "B" INTEGER NOT NULL,
    CONSTRAINT "_InstrumentToTeacher_A_fkey" FOREIGN KEY ("A") REFERENCES "Instrument" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "_InstrumentToTeacher_B_fkey" FOREIGN KEY ("B") REFERENCES "Teacher" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "_plays" (
    "A" INTEGER NOT NULL,
    "B" TEXT NOT NULL,
    CONSTRAINT "_plays_A_fkey" FOREIGN KEY ("A") REFERENCES "Instrument" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "_plays_B_fkey" FOREIGN KEY ("B") REFERENCES "Student" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE UNIQUE INDEX "Instrument_name_key" ON "Instrument"("name");

-- CreateIndex
CREATE UNIQUE INDEX "Course_code_term_key" ON "Course"("code", "term");

-- CreateIndex
CREATE UNIQUE INDEX "_InstrumentToTeacher_AB_unique" ON "_InstrumentToTeacher"("A", "B");

-- CreateIndex
CREATE INDEX "_InstrumentToTeacher_B_index" ON "_InstrumentToTeacher"("B");

-- CreateIndex
CREATE UNIQUE INDEX "_plays_AB_unique" ON "_plays"("A", "B");

-- CreateIndex
CREATE INDEX "_plays_B_index" ON "_plays"("B");
