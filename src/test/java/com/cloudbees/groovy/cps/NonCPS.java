package com.cloudbees.groovy.cps;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Stand-in for groovy-cps' annotation, so that jenkins/vars/*.groovy compiles in tests as it does in
 * Jenkins. Outside Jenkins nothing is CPS-transformed, so it has no effect here either.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface NonCPS {}
