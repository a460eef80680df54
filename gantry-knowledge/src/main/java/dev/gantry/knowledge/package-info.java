package dev.gantry.knowledge;
